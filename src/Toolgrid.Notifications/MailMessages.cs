using System.Globalization;
using System.Text;
using MimeKit;
using Toolgrid.Core.Notifications;

namespace Toolgrid.Notifications;

/// <summary>Turns a <see cref="Mail"/> of the outbox into the message that goes over SMTP.</summary>
internal static class MailMessages
{
    /// <summary>
    /// The Message-Id of a mail: the same at every attempt, so that the rare duplicate (a crash
    /// after the server accepted the mail and before it was marked sent) can be recognised, and
    /// unique across stores through the mail's creation time.
    /// </summary>
    public static string MessageId(Mail mail, string domain) =>
        string.Create(CultureInfo.InvariantCulture, $"toolgrid.{mail.Id}.{mail.CreatedAt.ToUnixTimeMilliseconds()}@{domain}");

    /// <summary>The message, and the recipients left out because their address does not parse.</summary>
    public static (MimeMessage Message, IReadOnlyList<string> BadAddresses) Build(Mail mail, MailboxAddress from, string messageIdDomain)
    {
        var message = new MimeMessage();
        message.From.Add(from);
        var bad = new List<string>();
        foreach (var recipient in mail.Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (MailboxAddress.TryParse(recipient, out var address) && !string.IsNullOrEmpty(address.Domain))
            {
                message.To.Add(address);
            }
            else
            {
                bad.Add(recipient);
            }
        }

        message.Subject = mail.Subject;
        message.Date = mail.CreatedAt;
        message.MessageId = MessageId(mail, messageIdDomain);

        // RFC 3834: an automatic message; vacation responders and the like do not answer it.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Toolgrid-Tool", mail.ToolName);
        var body = new TextPart("plain");
        body.SetText(Encoding.UTF8, mail.Body);
        message.Body = body;
        return (message, bad);
    }
}
