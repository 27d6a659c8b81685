using Toolgrid.Core.Backends;

namespace Toolgrid.Core.Nodes;

/// <summary>
/// What a node's record takes from a sighting of it (the backend's <see cref="NodeCapacity"/>):
/// its state and capacity at once; when it was seen and its load average only when they are
/// <see cref="Refresh"/> old, or with a change of the rest.
/// </summary>
/// <remarks>
/// The controller records the nodes at every reconcile (every 30 s), and when a pass reads them
/// different from what it last recorded (<see cref="SameRecord"/>). Were every sighting written,
/// each would be a commit to the store, and a commit makes the supervisor read every job it looks
/// after again: an idle controller would work every 30 s for a load average. So a change that
/// matters (state, queues, capacity) is written when seen, and the rest is refreshed now and then;
/// <c>toolgrid status</c> may show a node seen up to <see cref="Refresh"/> ago, with that load.
/// </remarks>
public static class NodeSighting
{
    /// <summary>How old a node's last-seen time and load average may get before a sighting refreshes them.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether two reads of the backend's nodes record the same (<see cref="Record"/>): the same
    /// nodes, each in the same state with the same queues and capacity. The load average is left
    /// out: it changes at every read and is refreshed only now and then.
    /// </summary>
    public static bool SameRecord(IReadOnlyList<NodeCapacity> first, IReadOnlyList<NodeCapacity> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count != second.Count)
        {
            return false;
        }

        var byName = second.ToDictionary(n => n.Name, StringComparer.Ordinal);
        return first.All(a => byName.TryGetValue(a.Name, out var b)
            && a.Up == b.Up
            && a.Drained == b.Drained
            && a.Queues.SequenceEqual(b.Queues, StringComparer.Ordinal)
            && a.MemoryBytes == b.MemoryBytes
            && a.CpuMillis == b.CpuMillis
            && a.HostMemoryBytes == b.HostMemoryBytes
            && a.HostCpuMillis == b.HostCpuMillis
            && a.Slots == b.Slots);
    }

    /// <summary>Records <paramref name="seen"/> in <paramref name="node"/> at <paramref name="now"/>, leaving it as it was when nothing is to be written.</summary>
    public static void Record(Node node, NodeCapacity seen, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(seen);
        var state = seen.Up ? (node.IsDrained ? NodeState.Draining : NodeState.Up) : seen.Drained ? NodeState.Draining : NodeState.Down;
        var queues = string.Join(',', seen.Queues);
        var changed = node.State != state
            || !string.Equals(node.Queues, queues, StringComparison.Ordinal)
            || node.MemoryBytes != seen.MemoryBytes
            || node.CpuMillis != seen.CpuMillis
            || node.HostMemoryBytes != seen.HostMemoryBytes
            || node.HostCpuMillis != seen.HostCpuMillis
            || node.Slots != seen.Slots;
        node.State = state;
        node.Queues = queues;
        node.MemoryBytes = seen.MemoryBytes;
        node.CpuMillis = seen.CpuMillis;
        node.HostMemoryBytes = seen.HostMemoryBytes;
        node.HostCpuMillis = seen.HostCpuMillis;
        node.Slots = seen.Slots;
        if (changed || node.LastSeenAt is not { } last || now - last >= Refresh || now < last)
        {
            node.LoadAverage = seen.LoadAverage;
            node.LastSeenAt = now;
        }
    }
}
