using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;

namespace Toolgrid.Core.Supervision;

/// <summary>
/// Whether a pass must read the backend's nodes again before it decides, or may decide from the
/// nodes of an earlier read.
/// </summary>
/// <remarks>
/// <para>
/// For an engine that places runs, a node read is one or two clients of its master (<c>qhost</c>
/// and <c>qstat</c>, <c>sinfo</c>): tens of milliseconds, more on a busy host, and in a pass woken
/// by a submit they came before the run's own <c>qsub</c>. Most passes decide nothing from the
/// nodes there: a run in the <c>default</c> queue is handed to the engine with no node, and the
/// engine chooses one from its own, fresher view.
/// </para>
/// <para>
/// What the nodes decide, the pass reads them for: a queued run in a dedicated queue (whether it
/// falls back to <c>default</c>), a queued run that needs a port (the ports free on every node),
/// and a drain asked or still to be undone (<see cref="DrainMoves"/>). A backend that does not
/// place runs (<c>local</c>) is always read: its pass chooses the node. And no read is used
/// older than the limit given (the controller's reconcile reads the nodes too), so the node
/// states a pass records for <c>toolgrid nodes list</c> are never older than that.
/// </para>
/// </remarks>
public static class NodeReads
{
    /// <summary>
    /// Whether a pass over <paramref name="snapshot"/> (read with the nodes of the read made at
    /// <paramref name="lastReadAt"/>, null when none was) must read the nodes again at
    /// <paramref name="now"/>, given that a read may be used up to <paramref name="maxAge"/>.
    /// </summary>
    public static bool Needed(SupervisorSnapshot snapshot, DateTimeOffset? lastReadAt, DateTimeOffset now, TimeSpan maxAge)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!snapshot.EnginePlaces || lastReadAt is not { } last || now - last >= maxAge || now < last || snapshot.Drains.Count > 0)
        {
            return true;
        }

        var queued = snapshot.ActiveRuns.Where(r => r.State == RunState.Queued).ToList();
        if (queued.Count == 0)
        {
            return false;
        }

        var usePorts = snapshot.Jobs.Where(j => j.Job.UsesPort).Select(j => j.Job.Id).ToHashSet();
        return queued.Any(r => r.Queue != Queues.Default || usePorts.Contains(r.JobId));
    }
}
