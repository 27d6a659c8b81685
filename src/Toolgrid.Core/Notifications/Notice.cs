namespace Toolgrid.Core.Notifications;

/// <summary>Something that happened to a tool's job that its maintainers are to be told by mail.</summary>
/// <remarks>
/// Notices are gathered per tool over a window into one <see cref="Mail"/>, so a crash loop makes
/// one mail, not hundreds. A notice is written in the same transaction as the run's change that
/// caused it, so none is lost.
/// </remarks>
public sealed class Notice
{
    public long Id { get; set; }

    public required string ToolName { get; set; }

    public required string JobName { get; set; }

    public long? RunId { get; set; }

    public NoticeKind Kind { get; set; }

    /// <summary>One line: what happened (state, reason, exit code or signal).</summary>
    public required string Summary { get; set; }

    /// <summary>The last lines of the run's output, capped; or null.</summary>
    public string? Excerpt { get; set; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>The mail it went into; null while it waits for its tool's window to close.</summary>
    public long? MailId { get; set; }
}
