using Toolgrid.Core.Notifications;

namespace Toolgrid.Notifications;

/// <summary>How mail about tools' jobs goes out (section <c>Toolgrid:Mail</c>).</summary>
/// <remarks>
/// Mail is off until <see cref="Host"/> is set. While it is off, notices are still recorded and
/// gathered per tool, and each window's mail is kept in the outbox as not sent ("mail is off"),
/// so that <c>toolgrid status</c> shows what would have gone out, and turning mail on later does not
/// send a backlog of stale mail.
/// </remarks>
public sealed class MailOptions
{
    public const string Section = "Toolgrid:Mail";

    /// <summary>The SMTP server; null or empty turns mail off.</summary>
    public string? Host { get; set; }

    /// <summary>Its port; by default 25 with <c>none</c>, 587 with <c>starttls</c>, 465 with <c>tls</c>.</summary>
    public int? Port { get; set; }

    /// <summary><c>none</c>, <c>starttls</c> or <c>tls</c> (see <see cref="MailSecurity"/>).</summary>
    public string Security { get; set; } = "none";

    /// <summary>The login, when the server wants one; with <see cref="Password"/>.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>Toolgrid &lt;toolgrid@example.org&gt;</c>; required when mail is on.</summary>
    public string? From { get; set; }

    /// <summary>A maintainer's address, <c>{user}</c> standing for the login name, e.g. <c>{user}@example.org</c>; required when mail is on.</summary>
    public string? AddressFormat { get; set; }

    /// <summary>How long a tool's notices are gathered, from the oldest, before they go out as one mail (Toolforge: 400 s).</summary>
    public TimeSpan Window { get; set; } = MailBatchSettings.DefaultWindow;

    /// <summary>How often the outbox is looked at.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait after a failed attempt to send; it doubles after each further failure, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = MailRetryPolicy.Default.FirstDelay;

    public TimeSpan MaxRetryDelay { get; set; } = MailRetryPolicy.Default.MaxDelay;

    /// <summary>Attempts in all before a mail is kept as failed; the defaults spread 30 over about 23 hours.</summary>
    public int MaxAttempts { get; set; } = MailRetryPolicy.Default.MaxAttempts;

    /// <summary>How long one SMTP operation (connect, a command, a message) may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many mails one pass sends at most.</summary>
    public int MailsPerPass { get; set; } = 50;

    /// <summary>The last lines of each output file a notice keeps.</summary>
    public int ExcerptLines { get; set; } = 20;

    /// <summary>The most bytes read from the end of each output file for a notice.</summary>
    public int ExcerptBytes { get; set; } = 4096;

    /// <summary>The IANA time zone mails give times in, besides UTC; by default the site's (<c>Toolgrid:TimeZone</c>), else UTC.</summary>
    public string? TimeZone { get; set; }

    /// <summary>The domain of the mails' Message-Ids; by default that of <see cref="From"/>.</summary>
    public string? MessageIdDomain { get; set; }

    /// <summary>Whether mail is on.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The security, parsed; null when <see cref="Security"/> is not one of the three.</summary>
    public MailSecurity? ParsedSecurity => Security?.Trim().ToLowerInvariant() switch
    {
        "none" or "" => MailSecurity.None,
        "starttls" => MailSecurity.StartTls,
        "tls" => MailSecurity.Tls,
        _ => null,
    };

    /// <summary>The port, or the default of the security.</summary>
    public int EffectivePort => Port ?? ParsedSecurity switch
    {
        MailSecurity.StartTls => 587,
        MailSecurity.Tls => 465,
        _ => 25,
    };

    public MailRetryPolicy RetryPolicy => new(FirstRetryDelay, MaxRetryDelay, MaxAttempts);

    /// <summary>The site's time zone, or UTC when it cannot be found (the validator reports that).</summary>
    public TimeZoneInfo FindTimeZone() =>
        TimeZoneInfo.TryFindSystemTimeZoneById(string.IsNullOrWhiteSpace(TimeZone) ? "UTC" : TimeZone.Trim(), out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>What <see cref="MailBatcher"/> needs from these options.</summary>
    public MailBatchSettings ToBatchSettings() => new()
    {
        Window = Window,
        AddressFormat = string.IsNullOrWhiteSpace(AddressFormat) ? null : AddressFormat.Trim(),
        TimeZone = FindTimeZone(),
        ExcerptMaxLines = Math.Max(1, ExcerptLines * 2),
        ExcerptMaxLength = Math.Max(256, (ExcerptBytes * 2) + 256),
    };
}
