namespace Toolgrid.Contracts.Api;

/// <summary>A queue: the nodes that serve it, their slots, whether it can take work, and which tools may use it.</summary>
/// <param name="Name">The queue's name.</param>
/// <param name="Nodes">The nodes that serve it.</param>
/// <param name="SlotsUsed">Runs launched in it that are starting or running.</param>
/// <param name="SlotsTotal">The slots of its nodes (a node that serves several queues shares its slots among them).</param>
/// <param name="State"><c>up</c>, or <c>no usable node</c> when none of its nodes takes work (runs of its tools then go to <c>default</c>).</param>
/// <param name="EveryTool">Whether every tool may use it (the <c>default</c> queue).</param>
/// <param name="Tools">The tools granted it (empty for <c>default</c>, which every tool may use).</param>
public sealed record QueueView(string Name, IReadOnlyList<string> Nodes, int SlotsUsed, int SlotsTotal, string State, bool EveryTool, IReadOnlyList<string> Tools);

/// <summary><c>POST /api/v1/queues/{queue}/requests</c>: a maintainer asks that a tool may use a dedicated queue.</summary>
public sealed record QueueRequestCreate
{
    /// <summary>The tool that needs the queue.</summary>
    public string? Tool { get; init; }

    /// <summary>What the tool needs it for, for the admins who decide.</summary>
    public string? Reason { get; init; }
}

/// <summary><c>POST /api/v1/queues/{queue}/requests/{tool}/deny</c>: an admin refuses an open request, saying why.</summary>
public sealed record QueueDenial
{
    /// <summary>Why, for the tool's maintainers.</summary>
    public string? Reason { get; init; }
}

/// <summary>A request for a queue and its answer.</summary>
/// <param name="Id">Its number.</param>
/// <param name="Queue">The queue asked for.</param>
/// <param name="Tool">The tool it is for.</param>
/// <param name="Reason">Why, in the maintainer's words.</param>
/// <param name="RequestedBy">The maintainer who asked.</param>
/// <param name="RequestedAt">When.</param>
/// <param name="State"><c>open</c>, <c>granted</c> or <c>denied</c>.</param>
/// <param name="DecidedBy">The admin who answered.</param>
/// <param name="DecidedAt">When.</param>
/// <param name="Answer">Why it was denied.</param>
public sealed record QueueRequestView(long Id, string Queue, string Tool, string Reason, string RequestedBy, DateTimeOffset RequestedAt, string State, string? DecidedBy = null, DateTimeOffset? DecidedAt = null, string? Answer = null);

/// <summary>A tool's leave to use a dedicated queue.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Tool">The tool.</param>
/// <param name="GrantedBy">The admin who granted it.</param>
/// <param name="GrantedAt">When.</param>
public sealed record QueueGrantView(string Queue, string Tool, string GrantedBy, DateTimeOffset GrantedAt);
