namespace Toolgrid.Core.Jobs;

/// <summary>A maintainer's request that a tool may use a dedicated queue, and an admin's answer.</summary>
/// <remarks>A tool has at most one open request per queue (a unique index on the open ones says so in the store).</remarks>
public sealed class QueueRequest
{
    /// <summary>The longest reason a maintainer or an admin may give.</summary>
    public const int MaxReasonLength = 1000;

    public long Id { get; set; }

    public required string Queue { get; set; }

    public required string ToolName { get; set; }

    /// <summary>Why the tool needs the queue, in the maintainer's words.</summary>
    public required string Reason { get; set; }

    /// <summary>The maintainer who asked.</summary>
    public required string RequestedBy { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public QueueRequestState State { get; set; }

    /// <summary>The admin who answered; null while open.</summary>
    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Why it was denied.</summary>
    public string? Answer { get; set; }
}
