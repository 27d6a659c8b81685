namespace Toolgrid.Notifications.Tests.Support;

/// <summary>A fact that talks to a real SMTP server (aiosmtpd); skipped, with the reason, where it cannot run.</summary>
public sealed class SmtpFactAttribute : FactAttribute
{
    public SmtpFactAttribute()
    {
        if (SmtpServer.Unavailable is { } reason)
        {
            Skip = "needs a real SMTP server: " + reason;
        }
    }
}
