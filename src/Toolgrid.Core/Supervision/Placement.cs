using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Supervision;

/// <summary>Chooses a node for a run: one that serves its queue and has room for its limits, and, when its job serves on a port, a port no other run on that node has.</summary>
/// <remarks>
/// The queue is chosen first (<see cref="QueueChoice"/>: a run's own, or <c>default</c> when no node of it is up).
/// Among the nodes with room, the one with the most free memory wins, which spreads runs.
/// Ports are taken from the node's range starting at a point derived from the run's id, so
/// that a run that crashed because something else held its port gets another next time.
/// </remarks>
internal sealed class Placement
{
    private readonly List<Slot> _nodes;

    public Placement(IReadOnlyList<NodeCapacity> nodes, IEnumerable<Run> activeRuns, IReadOnlySet<string>? drained = null)
    {
        _nodes = nodes.Where(n => n.Up && !n.Drained && drained?.Contains(n.Name) != true).Select(n => new Slot(n)).ToList();
        var byName = _nodes.ToDictionary(n => n.Node.Name, StringComparer.Ordinal);
        foreach (var run in activeRuns)
        {
            if (run.State != RunState.Queued && run.Node is not null && byName.TryGetValue(run.Node, out var slot))
            {
                slot.Take(run, run.Port);
            }
        }
    }

    /// <summary>A node of <paramref name="queue"/> (see <see cref="QueueChoice"/>) with room for the run, and its port; null when none has room.</summary>
    public (string Node, int? Port)? TryPlace(Run run, Job job, string queue)
    {
        var candidates = _nodes.Where(n => n.Node.Queues.Contains(queue));
        foreach (var slot in candidates.Where(n => n.Fits(run)).OrderByDescending(n => n.FreeMemory).ThenBy(n => n.Node.Name, StringComparer.Ordinal))
        {
            int? port = null;
            if (job.UsesPort)
            {
                port = job.FixedPort is { } fixedPort ? (slot.IsFree(fixedPort) ? fixedPort : null) : slot.FreePort(run.Id);
                if (port is null)
                {
                    continue;
                }
            }

            slot.Take(run, port);
            return (slot.Node.Name, port);
        }

        return null;
    }

    private sealed class Slot(NodeCapacity node)
    {
        private readonly HashSet<int> _ports = [];
        private long _memory;
        private long _cpu;
        private int _runs;

        public NodeCapacity Node { get; } = node;

        public long FreeMemory => Node.MemoryBytes - _memory;

        public bool Fits(Run run) =>
            _runs < Node.Slots
            && _memory + run.MemoryBytes <= Node.MemoryBytes
            && _cpu + run.CpuMillis <= Node.CpuMillis;

        public bool IsFree(int port) => !_ports.Contains(port);

        public int? FreePort(long runId) => PortRange.Free(Node.FirstPort, Node.LastPort, runId, IsFree);

        public void Take(Run run, int? port)
        {
            _memory += run.MemoryBytes;
            _cpu += run.CpuMillis;
            _runs++;
            if (port is { } taken)
            {
                _ports.Add(taken);
            }
        }
    }
}
