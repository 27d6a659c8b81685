namespace Toolgrid.Core.Nodes;

/// <summary>Whether a node takes runs.</summary>
public enum NodeState
{
    /// <summary>Takes new runs.</summary>
    Up,

    /// <summary>Keeps its runs but takes no new ones: an admin drained it (or its engine's admin did).</summary>
    Draining,

    /// <summary>Not reachable; its runs are lost.</summary>
    Down,
}
