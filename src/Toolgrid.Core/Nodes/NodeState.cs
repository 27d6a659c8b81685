namespace Toolgrid.Core.Nodes;

/// <summary>Whether a node takes runs.</summary>
public enum NodeState
{
    /// <summary>Takes new runs.</summary>
    Up,

    /// <summary>Keeps its runs but takes no new ones.</summary>
    Draining,

    /// <summary>Not reachable; its runs are lost.</summary>
    Down,
}
