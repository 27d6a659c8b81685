using Toolgrid.Core.Api;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Limits;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Tools;

namespace Toolgrid.Server.Api;

/// <summary>Maps the house's entities to what the API shows.</summary>
public static class Views
{
    public static ToolView Of(Tool tool, JobLimits siteLimits, int jobs) => new(
        tool.Name,
        tool.Description,
        tool.UnixUser,
        tool.Uid,
        tool.Home,
        tool.Maintainers.OrderBy(m => m.UserName, StringComparer.Ordinal).Select(Of).ToList(),
        tool.CreatedAt,
        tool.CreatedBy,
        !tool.IsActive,
        tool.DisabledAt,
        Of(siteLimits.For(tool)),
        jobs);

    public static MaintainerView Of(Maintainer maintainer) => new(maintainer.UserName, maintainer.AddedAt, maintainer.AddedBy);

    public static LimitsView Of(JobLimits limits) => new(
        MemorySize.Format(limits.DefaultMemoryBytes),
        CpuQuantity.Format(limits.DefaultCpuMillis),
        MemorySize.Format(limits.MaxMemoryBytes),
        CpuQuantity.Format(limits.MaxCpuMillis),
        limits.MaxJobs);

    /// <summary>A job with its runs, newest first.</summary>
    public static JobView Of(Job job, IReadOnlyList<Run> runs, DateTimeOffset now)
    {
        var latest = runs.Count > 0 ? runs[0] : null;
        return new JobView(
            job.ToolName,
            job.Name,
            Wire.Of(job.Kind),
            job.Command,
            MemorySize.Format(job.MemoryBytes),
            CpuQuantity.Format(job.CpuMillis),
            job.Retry,
            job.Queue,
            Wire.Of(job.Emails),
            job.EffectiveStdoutPath,
            job.EffectiveStderrPath,
            job.GracePeriodSeconds,
            job.CreatedAt,
            job.CreatedBy,
            job.DeletedAt is not null,
            JobStatus.IsFinished(job, latest),
            JobStatus.Describe(job, latest, now),
            runs.Select(Of).ToList());
    }

    public static RunView Of(Run run) => new(
        run.Id,
        run.Attempt,
        Wire.Of(run.State),
        Wire.Of(run.Reason),
        run.Message,
        run.ExitCode,
        run.Signal,
        run.Node,
        run.Pid,
        run.SubmittedAt,
        run.StartedAt,
        run.FinishedAt,
        MemorySize.Format(run.MemoryBytes),
        CpuQuantity.Format(run.CpuMillis));

    public static TokenView Of(ApiToken token, string? secret = null) =>
        new(token.Id, token.Name, token.UserName, token.CreatedAt, token.ExpiresAt, token.LastUsedAt, secret);
}
