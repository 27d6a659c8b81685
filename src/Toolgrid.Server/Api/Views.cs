using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Runs;
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
        jobs,
        tool.Email);

    public static MaintainerView Of(Maintainer maintainer) => new(maintainer.UserName, maintainer.AddedAt, maintainer.AddedBy);

    public static LimitsView Of(JobLimits limits) => new(
        MemorySize.Format(limits.DefaultMemoryBytes),
        CpuQuantity.Format(limits.DefaultCpuMillis),
        MemorySize.Format(limits.MaxMemoryBytes),
        CpuQuantity.Format(limits.MaxCpuMillis),
        limits.MaxJobs);

    /// <summary>A job with its runs, newest first.</summary>
    /// <param name="job">The job.</param>
    /// <param name="runs">Its recent runs, newest first (every active run among them).</param>
    /// <param name="now">Now.</param>
    /// <param name="timeZone">The site's time zone, for schedules that name none.</param>
    public static JobView Of(Job job, IReadOnlyList<Run> runs, DateTimeOffset now, string timeZone = "UTC")
    {
        var latest = runs.Count > 0 ? runs[0] : null;
        IReadOnlyList<DateTimeOffset>? nextRuns = null;
        if (job.Schedule is not null && job.DeletedAt is null
            && CronSchedule.TryParse(job.Schedule, job.ToolName, job.Name, job.TimeZone, timeZone, out var schedule, out _))
        {
            nextRuns = schedule!.Next(now, 5);
        }

        var lastEnded = runs.FirstOrDefault(r => r.IsTerminal);
        return new JobView(
            job.ToolName,
            job.Name,
            JobFields.Kind.Show(job),
            job.Command,
            JobFields.Mem.Show(job),
            JobFields.Cpu.Show(job),
            job.Retry,
            job.Queue,
            JobFields.Emails.Show(job),
            job.EffectiveStdoutPath,
            job.EffectiveStderrPath,
            job.GracePeriodSeconds,
            job.CreatedAt,
            job.CreatedBy,
            job.DeletedAt is not null,
            JobStatus.IsFinished(job, latest),
            JobStatus.Describe(job, runs, now, nextRuns is { Count: > 0 } ? nextRuns[0] : null),
            runs.Select(Of).ToList(),
            Restart: job.Kind == JobKind.Continuous ? JobFields.Restart.Show(job) : null,
            Replicas: job.Replicas,
            Port: job.UsesPort ? job.FixedPort ?? 0 : null,
            HealthCheckScript: job.HealthCheckScript,
            HealthCheckHttp: job.HealthCheckHttpPath,
            Schedule: job.Schedule,
            Timezone: job.TimeZone,
            Concurrency: job.Kind == JobKind.Scheduled ? JobFields.Concurrency.Show(job) : null,
            CatchUp: job.Kind == JobKind.Scheduled ? JobFields.CatchUp.Show(job) : null,
            Timeout: job.TimeoutSeconds is { } seconds ? Duration.Format(TimeSpan.FromSeconds(seconds)) : null,
            WorkingDirectory: job.WorkingDirectory,
            Environment: job.Environment.Count > 0 ? job.Environment : null,
            Umask: job.Umask is { } umask ? FileMask.Format(umask) : null,
            MergeOutput: job.MergeOutput,
            Webservice: job.Webservice is null ? null : JobFields.Webservice.Show(job),
            NextRuns: nextRuns,
            RestartCount: job.RestartCount,
            NextStartAt: job.NextStartAt,
            LastOutcome: lastEnded is null ? null : $"{RunWire.Of(lastEnded.State)} ({JobStatus.LastEnd(lastEnded)})",
            RestartsInARow: Backoff.RestartsMade(job.RestartCount, nextRunStarted: runs.Any(r => !r.IsTerminal)),
            QueueNote: QueueChoice.Note(job.Queue, runs.FirstOrDefault(r => r.IsActive && r.Queue == job.Queue)?.LaunchQueue));
    }

    public static RunView Of(Run run) => new(
        run.Id,
        run.Attempt,
        RunWire.Of(run.State),
        RunWire.Of(run.Reason),
        run.Message,
        run.ExitCode,
        run.Signal,
        run.Node,
        run.Pid,
        run.SubmittedAt,
        run.StartedAt,
        run.FinishedAt,
        MemorySize.Format(run.MemoryBytes),
        CpuQuantity.Format(run.CpuMillis),
        run.Port,
        run.Healthy,
        run.ReadyAt,
        run.DueAt,
        run.LaunchQueue);

    public static TokenView Of(ApiToken token, string? secret = null) =>
        new(token.Id, token.Name, token.UserName, token.CreatedAt, token.ExpiresAt ?? token.CreatedAt, token.LastUsedAt, secret, TokenWire.Of(token.Scope), token.MadeBy, token.ParentId);

    public static QueueRequestView Of(QueueRequest request) => new(
        request.Id,
        request.Queue,
        request.ToolName,
        request.Reason,
        request.RequestedBy,
        request.RequestedAt,
        request.State.ToString().ToLowerInvariant(),
        request.DecidedBy,
        request.DecidedAt,
        request.Answer);

    public static QueueGrantView Of(QueueGrant grant) => new(grant.Queue, grant.ToolName, grant.GrantedBy, grant.GrantedAt);
}
