using System.Globalization;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Diagnostics;

namespace Toolgrid.Notifications;

/// <summary>Tells <c>toolgrid status</c> when mail is off, or when this process cannot reach the mail server.</summary>
internal sealed class MailWarnings(IOptions<MailOptions> options, MailDeliveryState state) : IWarningSource
{
    public IReadOnlyList<string> Warnings
    {
        get
        {
            if (!options.Value.Enabled)
            {
                return [MailStatus.OffDetail];
            }

            if (state.Failing is { } failing)
            {
                var since = failing.Since.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                return [$"mail cannot be sent to {SmtpConnection.Describe(options.Value)} since {since} UTC: {failing.Error} (mails wait in the outbox and are retried)"];
            }

            return [];
        }
    }
}
