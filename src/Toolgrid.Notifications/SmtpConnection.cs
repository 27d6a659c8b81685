using MailKit.Security;

namespace Toolgrid.Notifications;

/// <summary>Opens the SMTP connection of one pass, as <see cref="MailOptions"/> say.</summary>
internal static class SmtpConnection
{
    public static async Task<RecipientTrackingSmtpClient> OpenAsync(MailOptions options, CancellationToken cancellationToken)
    {
        var client = new RecipientTrackingSmtpClient
        {
            Timeout = (int)Math.Min(int.MaxValue, options.Timeout.TotalMilliseconds),
        };
        try
        {
            var security = options.ParsedSecurity switch
            {
                MailSecurity.StartTls => SecureSocketOptions.StartTls,
                MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.None,
            };
            await client.ConnectAsync(options.Host!.Trim(), options.EffectivePort, security, cancellationToken);
            if (!string.IsNullOrWhiteSpace(options.UserName))
            {
                await client.AuthenticateAsync(options.UserName, options.Password ?? "", cancellationToken);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Where the options point, for messages: <c>host:port (security)</c>.</summary>
    public static string Describe(MailOptions options) =>
        $"{options.Host?.Trim()}:{options.EffectivePort} ({options.Security.Trim().ToLowerInvariant()})";
}
