namespace Toolgrid.Contracts.Api;

/// <summary>A node as <c>GET /api/v1/nodes</c> lists it.</summary>
/// <param name="Name">The node's name.</param>
/// <param name="State"><c>up</c>; <c>draining</c> (drained, runs still on it); <c>drained</c> (drained and empty); <c>down</c>.</param>
/// <param name="Queues">The queues it serves.</param>
/// <param name="Slots">How many runs may be on it at once.</param>
/// <param name="Memory">Memory that runs' limits may add up to on it.</param>
/// <param name="Cpu">CPU that runs' limits may add up to on it, in cores.</param>
/// <param name="Load">Its load average as its backend last reported it; null where not known.</param>
/// <param name="Runs">The runs on it now (starting or running).</param>
/// <param name="LastSeenAt">When the controller last heard of it from the backend.</param>
/// <param name="Drain">Its drain, when an admin drained it; null otherwise.</param>
public sealed record NodeEntryView(
    string Name,
    string State,
    IReadOnlyList<string> Queues,
    int Slots,
    string Memory,
    string Cpu,
    double? Load,
    int Runs,
    DateTimeOffset? LastSeenAt,
    NodeDrainView? Drain);

/// <summary>A node's drain: who, when, why, and the runs still on it.</summary>
/// <param name="Reason">Why it was drained.</param>
/// <param name="By">Who drained it.</param>
/// <param name="At">When.</param>
/// <param name="Applied">Whether the backend has the drain (its engine places nothing there any more).</param>
/// <param name="WaitsOn">The runs still on it, and what each waits for.</param>
public sealed record NodeDrainView(string Reason, string By, DateTimeOffset At, bool Applied, IReadOnlyList<NodeWaitView> WaitsOn);

/// <summary>A run that is still on a drained node.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Tool">Its tool.</param>
/// <param name="Job">Its job.</param>
/// <param name="Why">What it waits for, in words.</param>
public sealed record NodeWaitView(long RunId, string Tool, string Job, string Why);

/// <summary><c>POST /api/v1/nodes/{node}/drain</c>.</summary>
public sealed record NodeDrainRequest
{
    /// <summary>Why: kept, shown, and given to the engine. Required; one line, at most 200 characters.</summary>
    public string? Reason { get; init; }
}
