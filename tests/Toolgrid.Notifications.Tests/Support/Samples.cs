using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Notifications;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Tools;

namespace Toolgrid.Notifications.Tests.Support;

/// <summary>Jobs, runs, tools and notices as the store would hold them.</summary>
internal static class Samples
{
    /// <summary>A fixed instant with whole seconds (the store keeps times to 0.1 ms).</summary>
    public static readonly DateTimeOffset Noon = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public static Job Job(EmailPolicy emails, JobKind kind = JobKind.OneOff, string name = "fetch", string tool = "mytool", int restartCount = 0) => new()
    {
        Id = 3,
        ToolName = tool,
        Name = name,
        Kind = kind,
        Command = "./" + name + ".sh",
        MemoryBytes = 512 * MemorySize.MiB,
        CpuMillis = 500,
        Emails = emails,
        RestartCount = restartCount,
        CreatedBy = "alice",
    };

    /// <summary>A run of <paramref name="job"/> that started at noon and ended 12 s later as <paramref name="state"/>.</summary>
    public static Run Ended(Job job, RunState state, RunReason reason, int? exitCode = null, int? signal = null, long id = 42) => new()
    {
        Id = id,
        JobId = job.Id,
        ToolName = job.ToolName,
        JobName = job.Name,
        State = state,
        Reason = reason,
        ExitCode = exitCode,
        Signal = signal,
        Node = "node1",
        Command = job.Command,
        MemoryBytes = job.MemoryBytes,
        TimeoutSeconds = reason == RunReason.TimedOut ? 3600 : null,
        SubmittedAt = Noon - TimeSpan.FromSeconds(1),
        StartedAt = Noon,
        FinishedAt = state == RunState.Skipped ? Noon : Noon + TimeSpan.FromSeconds(12),
        DueAt = state == RunState.Skipped ? Noon : null,
    };

    public static Tool Tool(string name = "mytool", string? email = null, params string[] maintainers) => new()
    {
        Name = name,
        UnixUser = "tools." + name,
        Home = "/srv/toolgrid/" + name,
        CreatedBy = maintainers.FirstOrDefault() ?? "alice",
        CreatedAt = Noon - TimeSpan.FromDays(30),
        Email = email,
        Maintainers = maintainers.Select(m => new Maintainer { ToolName = name, UserName = m, AddedBy = "alice" }).ToList(),
    };

    public static Notice Notice(string tool, string job, DateTimeOffset at, string summary = "failed: exit code 1 after 12s", NoticeKind kind = NoticeKind.RunFailed, long? runId = 42, string? excerpt = null, long id = 0) => new()
    {
        Id = id,
        ToolName = tool,
        JobName = job,
        RunId = runId,
        Kind = kind,
        Summary = summary,
        Excerpt = excerpt,
        At = at,
    };
}
