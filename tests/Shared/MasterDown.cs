using Toolgrid.Core.Backends;
using Toolgrid.Core.Diagnostics;

namespace Toolgrid.Tests.Grid;

/// <summary>
/// What both grid backends must do while their engine's master is down (stopped with the cluster
/// script's <c>stop-master</c>, started again in a finally): a start waits for the grid, tried
/// again it still waits, the backend warns, a run already on a node goes on and ends, and once
/// the master is back the waiting run starts and both ends are reported.
/// </summary>
public static class MasterDown
{
    /// <summary>What was seen.</summary>
    public sealed record Seen(StartDeferredException First, StartDeferredException Again, IReadOnlyList<string> Warned, IReadOnlyList<string> WarnedAfter, BackendRunReport OnNodeEnded, BackendRunReport WaitingEnded);

    /// <param name="backend">The backend, which is also its warning source.</param>
    /// <param name="home">The tool's home, where the commands below write their marks.</param>
    /// <param name="launch">A launch of a command, with a run id of its own.</param>
    /// <param name="cluster">Runs a verb of the cluster script.</param>
    /// <param name="report">Waits for a report of a run in a phase.</param>
    public static async Task<Seen> RunAsync<TBackend>(TBackend backend, string home, Func<Func<long, string>, RunLaunch> launch, Func<string, Task> cluster, Func<long, BackendRunPhase, Task<BackendRunReport>> report)
        where TBackend : IBackend, IWarningSource
    {
        var onNode = launch(id => $"touch started-{id}; until [ -e go-{id} ]; do sleep 0.1; done; touch ran-{id}; exit 5");
        var waiting = launch(id => "exit 0");
        await backend.StartAsync(onNode, CancellationToken.None);
        await report(onNode.RunId, BackendRunPhase.Running);

        StartDeferredException first, again;
        IReadOnlyList<string> warned;
        await cluster("stop-master");
        try
        {
            first = await Assert.ThrowsAsync<StartDeferredException>(() => backend.StartAsync(waiting, CancellationToken.None));
            again = await Assert.ThrowsAsync<StartDeferredException>(() => backend.StartAsync(waiting, CancellationToken.None));
            warned = backend.Warnings;

            // The run on its node goes on without the master.
            await File.WriteAllTextAsync(Path.Combine(home, $"go-{onNode.RunId}"), string.Empty);
            await Eventually.FileAsync("the run on its node going on without the master", Path.Combine(home, $"ran-{onNode.RunId}"));
        }
        finally
        {
            await cluster("start-master");
        }

        await backend.StartAsync(waiting, CancellationToken.None);
        var ended = await report(onNode.RunId, BackendRunPhase.Exited);
        var exited = await report(waiting.RunId, BackendRunPhase.Exited);
        return new Seen(first, again, warned, backend.Warnings, ended, exited);
    }
}
