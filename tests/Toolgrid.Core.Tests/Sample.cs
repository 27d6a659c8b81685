using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Tools;

namespace Toolgrid.Core.Tests;

/// <summary>Small, valid instances of the house's words, for tests to change what they are about.</summary>
internal static class Sample
{
    /// <summary>A fixed instant: tests never read the clock.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public static Tool Tool(string name = "mytool", params string[] maintainers) => new()
    {
        Name = name,
        UnixUser = "tools." + name,
        Home = "/srv/tools/" + name,
        CreatedBy = "alice",
        CreatedAt = Now,
        Maintainers = maintainers
            .Select(m => new Maintainer { ToolName = name, UserName = m, AddedBy = "alice", AddedAt = Now })
            .ToList(),
    };

    public static Job Job(long id = 1, string tool = "mytool", string name = "fetch", int retry = 0) => new()
    {
        Id = id,
        ToolName = tool,
        Name = name,
        Kind = JobKind.OneOff,
        Command = "./fetch.sh",
        MemoryBytes = 512 * MemorySize.MiB,
        CpuMillis = 500,
        Retry = retry,
        CreatedBy = "alice",
        CreatedAt = Now,
        UpdatedAt = Now,
    };

    public static Run Run(
        long id = 1,
        long jobId = 1,
        string tool = "mytool",
        RunState state = RunState.Queued,
        string? node = null,
        long memory = 512 * MemorySize.MiB,
        int cpu = 500,
        string queue = Queues.Default,
        int attempt = 1) => new()
        {
            Id = id,
            JobId = jobId,
            ToolName = tool,
            JobName = "fetch",
            Command = "./fetch.sh",
            State = state,
            Reason = state == RunState.Queued ? RunReason.Submitted : RunReason.Placed,
            Node = node,
            MemoryBytes = memory,
            CpuMillis = cpu,
            Queue = queue,
            Attempt = attempt,
            SubmittedAt = Now,
        };

    /// <summary>A run placed on <c>node1</c>, whose process has started.</summary>
    public static Run Running(long id = 1, long jobId = 1, string tool = "mytool", string node = "node1")
    {
        var run = Run(id, jobId, tool, RunState.Running, node);
        run.Reason = RunReason.Started;
        run.StartedAt = Now;
        return run;
    }

    public static NodeCapacity Node(
        string name = "node1",
        long memory = 8 * MemorySize.GiB,
        int cpu = 4000,
        int slots = 10,
        bool up = true,
        params string[] queues) =>
        new(name, queues.Length == 0 ? [Queues.Default] : queues, memory, cpu, slots, up);

    public static BackendRunReport Exited(long runId = 1, int? exitCode = 0, int? signal = null) =>
        new(runId, "node1", BackendRunPhase.Exited, FinishedAt: Now.AddMinutes(1), ExitCode: exitCode, Signal: signal);

    public static Caller Person(string user, bool admin = false) => new(user, null, admin, CallerVia.PeerCredentials);

    public static Caller ToolItself(string tool) => new("tools." + tool, tool, false, CallerVia.PeerCredentials);
}
