namespace Toolgrid.Core.Nodes;

/// <summary>
/// A queue as the nodes serve it: the nodes that serve it, and those of them that take work now
/// (up: not down, disabled or drained). A queue has no usable node when none does.
/// </summary>
/// <param name="Name">The queue.</param>
/// <param name="Serving">The nodes that serve it.</param>
/// <param name="Usable">Those that take work now.</param>
public sealed record QueueServing(string Name, IReadOnlyList<Node> Serving, IReadOnlyList<Node> Usable)
{
    public const string Up = "up";

    public const string NoUsableNode = "no usable node";

    /// <summary><see cref="Up"/> or <see cref="NoUsableNode"/>.</summary>
    public string State => Usable.Count > 0 ? Up : NoUsableNode;

    /// <summary>
    /// Every queue: <c>default</c> first, then those the nodes serve and those <paramref name="alsoNamed"/>
    /// (e.g. granted ones no node serves any more), by name.
    /// </summary>
    public static IReadOnlyList<QueueServing> Of(IReadOnlyList<Node> nodes, IEnumerable<string> alsoNamed)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(alsoNamed);
        var servedBy = nodes
            .SelectMany(n => QueuesOf(n).Select(q => (Queue: q, Node: n)))
            .ToLookup(x => x.Queue, x => x.Node, StringComparer.Ordinal);
        var names = new SortedSet<string>(StringComparer.Ordinal) { Jobs.Queues.Default };
        names.UnionWith(servedBy.Select(g => g.Key));
        names.UnionWith(alsoNamed);
        return names
            .OrderBy(q => q == Jobs.Queues.Default ? 0 : 1)
            .ThenBy(q => q, StringComparer.Ordinal)
            .Select(q =>
            {
                var serving = servedBy[q].ToList();
                return new QueueServing(q, serving, serving.Where(n => n.State == NodeState.Up).ToList());
            })
            .ToList();
    }

    /// <summary>The queues a node serves.</summary>
    public static string[] QueuesOf(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Queues.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>A node's state in words: <c>up</c>, <c>draining</c> (drained, runs still on it), <c>drained</c> (empty) or <c>down</c>.</summary>
    public static string StateOf(Node node, int runs)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.State == NodeState.Down ? "down"
            : node.IsDrained || node.State == NodeState.Draining ? (runs > 0 ? "draining" : "drained")
            : "up";
    }
}
