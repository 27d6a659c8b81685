using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Supervision;

/// <summary>Chooses a node for a run: one that serves its queue and has room for its limits.</summary>
/// <remarks>
/// A run asks for a queue; when no node of that queue is up, it falls back to <c>default</c>.
/// Among the nodes with room, the one with the most free memory wins, which spreads runs.
/// </remarks>
internal sealed class Placement
{
    private readonly List<Slot> _nodes;

    public Placement(IReadOnlyList<NodeCapacity> nodes, IEnumerable<Run> activeRuns)
    {
        _nodes = nodes.Where(n => n.Up).Select(n => new Slot(n)).ToList();
        var byName = _nodes.ToDictionary(n => n.Node.Name, StringComparer.Ordinal);
        foreach (var run in activeRuns)
        {
            if (run.State != RunState.Queued && run.Node is not null && byName.TryGetValue(run.Node, out var slot))
            {
                slot.Take(run);
            }
        }
    }

    public string? TryPlace(Run run)
    {
        var candidates = _nodes.Where(n => n.Node.Queues.Contains(run.Queue)).ToList();
        if (candidates.Count == 0 && run.Queue != Queues.Default)
        {
            candidates = _nodes.Where(n => n.Node.Queues.Contains(Queues.Default)).ToList();
        }

        var best = candidates
            .Where(n => n.Fits(run))
            .OrderByDescending(n => n.FreeMemory)
            .ThenBy(n => n.Node.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        best?.Take(run);
        return best?.Node.Name;
    }

    private sealed class Slot(NodeCapacity node)
    {
        private long _memory;
        private long _cpu;
        private int _runs;

        public NodeCapacity Node { get; } = node;

        public long FreeMemory => Node.MemoryBytes - _memory;

        public bool Fits(Run run) =>
            _runs < Node.Slots
            && _memory + run.MemoryBytes <= Node.MemoryBytes
            && _cpu + run.CpuMillis <= Node.CpuMillis;

        public void Take(Run run)
        {
            _memory += run.MemoryBytes;
            _cpu += run.CpuMillis;
            _runs++;
        }
    }
}
