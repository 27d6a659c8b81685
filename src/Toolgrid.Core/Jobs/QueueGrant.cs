namespace Toolgrid.Core.Jobs;

/// <summary>An admin's leave for a tool to use a dedicated queue (every tool may use <c>default</c> without one).</summary>
public sealed class QueueGrant
{
    public long Id { get; set; }

    public required string Queue { get; set; }

    public required string ToolName { get; set; }

    /// <summary>The admin who granted it.</summary>
    public required string GrantedBy { get; set; }

    public DateTimeOffset GrantedAt { get; set; }
}
