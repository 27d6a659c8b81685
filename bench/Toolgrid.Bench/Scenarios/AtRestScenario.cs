using Toolgrid.Bench.Server;

namespace Toolgrid.Bench.Scenarios;

/// <summary>
/// toolgridd at rest: started as <c>run.sh</c> starts it (every role, the API and the front proxy
/// on TCP, its default logging), in a data root of its own, then left alone for
/// <see cref="Idle"/>: its VmRSS (and what it is made of) and the CPU it used meanwhile.
/// </summary>
internal static class AtRestScenario
{
    public static readonly TimeSpan Idle = TimeSpan.FromSeconds(30);

    public static async Task<AtRestResult> RunAsync(BenchServer server, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var begun = time.GetTimestamp();
        await server.StartAsync([], cancellationToken, asDeployed: true);
        var started = time.GetElapsedTime(begun);
        var pid = server.Pid;
        var rssUp = ProcFs.StatusBytes(pid, "VmRSS") ?? 0;
        var cpu = ProcFs.CpuSeconds(pid);
        await Task.Delay(Idle, time, cancellationToken);
        var idleCpu = ProcFs.CpuSeconds(pid) - cpu;
        var result = new AtRestResult(
            started.TotalSeconds,
            rssUp,
            ProcFs.StatusBytes(pid, "VmRSS") ?? 0,
            ProcFs.StatusBytes(pid, "RssAnon") ?? 0,
            ProcFs.StatusBytes(pid, "RssFile") ?? 0,
            ProcFs.StatusBytes(pid, "RssShmem") ?? 0,
            Idle,
            idleCpu);
        await server.StopAsync();
        return result;
    }
}
