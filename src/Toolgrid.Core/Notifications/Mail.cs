namespace Toolgrid.Core.Notifications;

/// <summary>A mail to a tool's maintainers, in the outbox until it is sent (or has failed for good).</summary>
/// <remarks>
/// Sending is retried with backoff; jobs never wait for it. A mail that cannot be sent after its
/// retries is kept with <see cref="FailedAt"/> and its last error, never silently dropped.
/// </remarks>
public sealed class Mail
{
    public long Id { get; set; }

    public required string ToolName { get; set; }

    /// <summary>The addresses, comma-separated.</summary>
    public required string Recipients { get; set; }

    public required string Subject { get; set; }

    public required string Body { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>When to try (again); null once sent or failed for good.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>When the last retry failed; the mail is then kept, never dropped.</summary>
    public DateTimeOffset? FailedAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>Optimistic concurrency: bumped on every change.</summary>
    public int Version { get; set; }
}
