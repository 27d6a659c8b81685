using System.Text;
using Toolgrid.Core.Backends;

namespace Toolgrid.Tests.Grid;

/// <summary>
/// Checks both grid backends pass the same way on their real clusters (Grid Engine's and Slurm's
/// backend tests call them): what differs is only the engine under the backend.
/// </summary>
public static class EngineChecks
{
    /// <summary>What a run sends to the backend's reports until it has the phase asked for.</summary>
    public delegate Task<BackendRunReport> Report(long runId, BackendRunPhase phase);

    /// <summary>
    /// A run sent to the <c>dedicated</c> queue (node 2 only) while node 2 is drained: the engine
    /// holds it pending, the backend lists it waiting with no node (so that the controller's
    /// reconcile takes it as a run the backend has, not one to start again), and it runs on node 2
    /// once node 2 is resumed.
    /// </summary>
    public static async Task PendingUntilItsQueueHasANodeAsync(IBackend backend, TestCluster cluster, RunLaunch launch, Report report)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(report);
        await backend.DrainAsync(cluster.Node2, "pending test", CancellationToken.None);
        BackendRunReport waiting;
        try
        {
            await backend.StartAsync(launch, CancellationToken.None);
            waiting = await report(launch.RunId, BackendRunPhase.Waiting);
        }
        finally
        {
            await backend.ResumeAsync(cluster.Node2, CancellationToken.None);
        }

        var exited = await report(launch.RunId, BackendRunPhase.Exited);

        Assert.Null(waiting.Node);
        Assert.Equal((0, cluster.Node2), (exited.ExitCode, exited.Node));
    }

    /// <summary>Draining a node the engine does not have is refused, naming it, and changes no node.</summary>
    public static async Task DrainingAnUnknownNodeIsRefusedAsync(IBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var before = await backend.GetNodesAsync(CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => backend.DrainAsync("no-such-node", "x", CancellationToken.None));

        Assert.Contains("no-such-node", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before.Select(n => (n.Name, n.Up)), (await backend.GetNodesAsync(CancellationToken.None)).Select(n => (n.Name, n.Up)));
    }

    /// <summary>
    /// ^D typed on an interactive run's terminal at once, before the engine has placed the run
    /// (the launch runs <c>cat; echo after-cat; exit 6</c> on a terminal): a key for the terminal
    /// on the node, which ends cat's input there; not the end of the engine client's own input,
    /// which would end the session.
    /// </summary>
    public static async Task CtrlDTypedAheadAsync<TBackend>(TBackend backend, RunLaunch launch, Report report)
        where TBackend : IBackend, IRunTerminals
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(report);
        await backend.StartAsync(launch, CancellationToken.None);
        var output = new StringBuilder();
        await using (var terminal = await backend.AttachAsync(launch.RunId, CancellationToken.None))
        {
            await terminal.WriteAsync("\u0004"u8.ToArray(), CancellationToken.None);
            await RunTerminals.ReadToEndAsync(terminal, output);
        }

        var exited = await report(launch.RunId, BackendRunPhase.Exited);
        Assert.True(exited is { ExitCode: 6 }, exited + "\n" + output);
        Assert.Contains("after-cat\r\n", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The command of <see cref="CtrlDTypedAheadAsync"/>'s launch.</summary>
    public const string CatCommand = "cat; echo after-cat; exit 6";
}
