using Microsoft.Extensions.Options;
using Toolgrid.Core.Notifications;
using Toolgrid.Core.Tools;

namespace Toolgrid.Notifications;

/// <summary>
/// Writes a mail to a tool's maintainers that tells of one thing an admin did (a queue granted,
/// revoked or denied), for the caller to add to the outbox in the transaction of that change; the
/// <see cref="Notifier"/> sends it as it sends every mail.
/// </summary>
public sealed class ToolMails(IOptions<MailOptions> options)
{
    private readonly MailBatcher _batcher = new(options.Value.ToBatchSettings());

    /// <summary>The mail, pending; kept as failed at once when mail is off or the tool's maintainers have no address.</summary>
    public Mail Compose(Tool tool, string subject, string body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var recipients = _batcher.Recipients(tool);
        var mail = new Mail
        {
            ToolName = tool.Name,
            Recipients = string.Join(", ", recipients),
            Subject = $"{MailBatcher.SubjectTag} {tool.Name}: {subject}",
            Body = body,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        if (!options.Value.Enabled)
        {
            MailTransitions.NotSendable(mail, Notifier.MailOff, now);
        }
        else if (recipients.Count == 0)
        {
            MailTransitions.NotSendable(mail, $"the tool {tool.Name} has no maintainer with an address and no address of its own", now);
        }

        return mail;
    }
}
