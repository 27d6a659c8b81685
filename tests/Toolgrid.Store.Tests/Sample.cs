using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Nodes;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Tools;

namespace Toolgrid.Store.Tests;

/// <summary>Rows with every field set to something other than its default, so a round trip shows each one.</summary>
internal static class Sample
{
    /// <summary>A fixed instant with milliseconds: tests never read the clock.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, 123, TimeSpan.Zero);

    public static Tool Tool(string name = "mytool") => new()
    {
        Name = name,
        Description = "Fetches things",
        UnixUser = "tools." + name,
        Uid = 52001,
        Gid = 52002,
        Home = "/srv/tools/" + name,
        CreatedAt = Now,
        CreatedBy = "alice",
        MaxMemoryBytes = 8 * MemorySize.GiB,
        MaxCpuMillis = 2000,
        MaxJobs = 40,
        Maintainers =
        [
            new Maintainer { ToolName = name, UserName = "alice", AddedAt = Now, AddedBy = "alice" },
            new Maintainer { ToolName = name, UserName = "bob", AddedAt = Now.AddDays(1), AddedBy = "alice" },
        ],
    };

    public static Job Job(string tool = "mytool", string name = "fetch") => new()
    {
        ToolName = tool,
        Name = name,
        Kind = JobKind.Continuous,
        Command = "./fetch.sh --all",
        MemoryBytes = MemorySize.GiB,
        CpuMillis = 250,
        Retry = 2,
        Queue = "bigmem",
        Emails = EmailPolicy.OnFailure,
        FileLog = true,
        StdoutPath = "logs/fetch.log",
        StderrPath = "logs/fetch.errors",
        GracePeriodSeconds = 40,
        AllowDotPaths = true,
        CreatedAt = Now,
        CreatedBy = "alice",
        UpdatedAt = Now.AddMinutes(1),
    };

    public static Run Run(Job job, DateTimeOffset? submittedAt = null) => new()
    {
        JobId = job.Id,
        ToolName = job.ToolName,
        JobName = job.Name,
        Command = job.Command,
        MemoryBytes = job.MemoryBytes,
        CpuMillis = job.CpuMillis,
        Queue = job.Queue,
        State = RunState.Queued,
        Reason = RunReason.Submitted,
        SubmittedAt = submittedAt ?? Now,
    };

    public static ApiToken Token(string hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef") => new()
    {
        UserName = "alice",
        Name = "laptop",
        SecretHash = hash,
        Scope = TokenScope.Jobs,
        MadeBy = "socket uid 1000 as alice",
        CreatedAt = Now,
        ExpiresAt = Now.AddDays(30),
        LastUsedAt = Now.AddHours(1),
    };

    public static Node Node(string name = "node1") => new()
    {
        Name = name,
        State = NodeState.Draining,
        Backend = "local",
        Queues = "default,bigmem",
        MemoryBytes = 64 * MemorySize.GiB,
        CpuMillis = 16000,
        Slots = 32,
        LastSeenAt = Now,
    };
}
