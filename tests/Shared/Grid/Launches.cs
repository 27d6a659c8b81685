using Toolgrid.Core.Backends;

namespace Toolgrid.Tests.Grid;

/// <summary>Run launches for the grid backends' tests.</summary>
public static class Launches
{
    public static RunLaunch Of(long runId, string command, string home, string user = "nobody", int uid = 65534, int gid = 65534, IReadOnlyDictionary<string, string>? environment = null, long memoryBytes = 0, int cpuMillis = 1000, TimeSpan? grace = null, string queue = "default") =>
        new(
            runId,
            "mytool",
            "myjob",
            null,
            queue,
            command,
            user,
            uid,
            gid,
            home,
            environment ?? new Dictionary<string, string>(),
            memoryBytes,
            cpuMillis,
            100,
            Path.Combine(home, "myjob.out"),
            Path.Combine(home, "myjob.err"),
            null,
            grace ?? TimeSpan.FromSeconds(1),
            Umask: 0b000_010_111);
}
