namespace Toolgrid.Core.Notifications;

/// <summary>
/// The life of a mail in the outbox: <c>pending → sent | failed</c>, each move in one place.
/// Every change bumps <see cref="Mail.Version"/> (optimistic concurrency).
/// </summary>
/// <remarks>
/// A mail is pending exactly while <see cref="Mail.NextAttemptAt"/> is set; <see cref="Mail.SentAt"/>
/// and <see cref="Mail.FailedAt"/> are final. A failed mail is kept, with its last error, never
/// dropped.
/// </remarks>
public static class MailTransitions
{
    /// <summary>The longest error kept on a mail (the store's column holds 2048 characters).</summary>
    public const int MaxErrorLength = 2000;

    /// <summary>Whether the mail still waits to be sent.</summary>
    public static bool IsPending(Mail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        return mail.NextAttemptAt is not null && mail.SentAt is null && mail.FailedAt is null;
    }

    /// <summary>
    /// The server accepted the mail (for at least one recipient). <paramref name="note"/> says what
    /// went wrong on the way, e.g. recipients the server refused; it is kept as the last error.
    /// </summary>
    public static bool Sent(Mail mail, DateTimeOffset now, string? note = null)
    {
        if (!IsPending(mail))
        {
            return false;
        }

        mail.Attempts++;
        mail.SentAt = now;
        mail.NextAttemptAt = null;
        if (note is not null)
        {
            mail.LastError = Shorten(note);
        }

        return true;
    }

    /// <summary>An attempt failed: the mail is tried again after the policy's delay, or kept as failed after the last attempt.</summary>
    public static bool AttemptFailed(Mail mail, string error, DateTimeOffset now, MailRetryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (!IsPending(mail))
        {
            return false;
        }

        mail.Attempts++;
        mail.LastError = Shorten($"attempt {mail.Attempts} of {policy.MaxAttempts}: {error}");
        if (mail.Attempts >= policy.MaxAttempts)
        {
            mail.FailedAt = now;
            mail.NextAttemptAt = null;
        }
        else
        {
            mail.NextAttemptAt = now + policy.DelayAfter(mail.Attempts);
        }

        return true;
    }

    /// <summary>The mail cannot be sent at all (no recipient, mail is off): it is kept as failed, without an attempt.</summary>
    public static bool NotSendable(Mail mail, string reason, DateTimeOffset now)
    {
        if (!IsPending(mail))
        {
            return false;
        }

        mail.FailedAt = now;
        mail.NextAttemptAt = null;
        mail.LastError = Shorten(reason);
        return true;
    }

    private static string Shorten(string text) => text.Length <= MaxErrorLength ? text : text[..(MaxErrorLength - 1)] + "…";
}
