using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Supervision;

/// <summary>
/// The <c>$PORT</c> of a run that an engine places (<see cref="IBackend.PlacesRuns"/>): its node
/// is not known when it is placed, so its port is one no other live run has anywhere in the cluster.
/// </summary>
/// <remarks>
/// The range is the ports every node has (<see cref="NodeCapacity.FirstPort"/> to
/// <see cref="NodeCapacity.LastPort"/>, the latest first and the earliest last), since the engine
/// may put the run on any of them; a site keeps that range free on every node. A fixed port is
/// taken only when no live run has it. A run that gets no port stays queued until one frees.
/// </remarks>
internal sealed class ClusterPorts
{
    private readonly HashSet<int> _taken;
    private readonly int _first;
    private readonly int _last;

    public ClusterPorts(IReadOnlyList<NodeCapacity> nodes, IEnumerable<Run> activeRuns)
    {
        _first = nodes.Count == 0 ? 1 : nodes.Max(n => n.FirstPort);
        _last = nodes.Count == 0 ? 0 : nodes.Min(n => n.LastPort);
        _taken = activeRuns.Where(r => r.IsActive && r.State != Contracts.Runs.RunState.Queued && r.Port is not null).Select(r => r.Port!.Value).ToHashSet();
    }

    /// <summary>A port for <paramref name="run"/> of <paramref name="job"/>, now taken; null when none is free.</summary>
    public int? TryTake(Run run, Job job)
    {
        var port = job.FixedPort is { } fixedPort
            ? (_taken.Contains(fixedPort) ? null : fixedPort)
            : PortRange.Free(_first, _last, run.Id, p => !_taken.Contains(p));
        if (port is { } taken)
        {
            _taken.Add(taken);
        }

        return port;
    }
}
