namespace Toolgrid.Contracts.Api;

/// <summary>The mail outbox at a glance, for <c>toolgrid status</c>.</summary>
/// <param name="Enabled">Whether mail is configured (<c>Toolgrid:Mail:Host</c>); when it is not, notices are still recorded and gathered, and their mails kept as not sent.</param>
/// <param name="Detail">How mail goes out ("smtp.example.org:587 (starttls), from …"), or why it does not.</param>
/// <param name="Pending">Mails waiting to be sent, retries included.</param>
/// <param name="Retrying">Of those, the mails whose earlier attempts failed.</param>
/// <param name="RetryError">The latest error of a mail that is being retried.</param>
/// <param name="OldestPendingSince">When the oldest pending mail was written.</param>
/// <param name="Failed">Mails kept as failed: their attempts ran out, or they could not be sent at all.</param>
/// <param name="LastError">The error of the mail that failed last.</param>
/// <param name="LastFailedAt">When that mail failed.</param>
/// <param name="SentLastDay">Mails sent in the last 24 hours.</param>
/// <param name="WaitingNotices">Notices gathered in no mail yet (their window is still open).</param>
public sealed record MailStatusView(
    bool Enabled,
    string Detail,
    int Pending,
    int Retrying,
    string? RetryError,
    DateTimeOffset? OldestPendingSince,
    int Failed,
    string? LastError,
    DateTimeOffset? LastFailedAt,
    int SentLastDay,
    int WaitingNotices);
