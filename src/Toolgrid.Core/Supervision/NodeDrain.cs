namespace Toolgrid.Core.Supervision;

/// <summary>A node's drain as the store holds it: what an admin asked for, and what the controller has done in the engine.</summary>
/// <param name="Node">The node's name.</param>
/// <param name="Reason">Why an admin drained it; null when the drain was lifted (and the engine's drain is still to be undone).</param>
/// <param name="EngineDrained">Whether the controller drained it in the backend's engine.</param>
public sealed record NodeDrain(string Node, string? Reason, bool EngineDrained)
{
    /// <summary>Whether an admin wants it drained.</summary>
    public bool Wanted => Reason is not null;
}
