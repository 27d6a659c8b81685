using MailKit.Net.Smtp;
using MimeKit;

namespace Toolgrid.Notifications;

/// <summary>
/// An SMTP client that goes on when the server refuses some recipients, and remembers which,
/// instead of MailKit's default of failing the whole message at the first refusal: one bad
/// address must not keep a mail from the other maintainers. It fails only when every recipient
/// is refused (MailKit's documented pairing of the two overrides).
/// </summary>
internal sealed class RecipientTrackingSmtpClient : SmtpClient
{
    private readonly List<string> _refused = [];

    /// <summary>The recipients refused during the last send, with the server's answer.</summary>
    public IReadOnlyList<string> Refused => _refused;

    /// <summary>Forgets the refusals of the previous message.</summary>
    public void BeginMessage() => _refused.Clear();

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        _refused.Add($"{mailbox.Address} ({(int)response.StatusCode} {response.Response})");

    protected override void OnNoRecipientsAccepted(MimeMessage message) =>
        throw new SmtpCommandException(
            SmtpErrorCode.RecipientNotAccepted,
            SmtpStatusCode.MailboxUnavailable,
            "the server refused every recipient: " + string.Join(", ", _refused));
}
