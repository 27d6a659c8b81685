namespace Toolgrid.Core.Notifications;

/// <summary>What <see cref="MailBatcher"/> needs to know about the site: how long notices are gathered, where maintainers get mail, the time zone people read.</summary>
public sealed record MailBatchSettings
{
    /// <summary>Toolforge's window: a tool's notices are gathered for 400 s after the first before they go out as one mail.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(400);

    /// <summary>How long a tool's notices are gathered, counted from the oldest, before they are mailed together.</summary>
    public TimeSpan Window { get; init; } = DefaultWindow;

    /// <summary>A maintainer's address, with <c>{user}</c> standing for the login name (e.g. <c>{user}@example.org</c>); null when maintainers have none.</summary>
    public string? AddressFormat { get; init; }

    /// <summary>The site's time zone: mails give each time in UTC and in this zone.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>At most this many lines of a notice's output excerpt go into a mail.</summary>
    public int ExcerptMaxLines { get; init; } = 40;

    /// <summary>At most this many characters of a notice's output excerpt go into a mail.</summary>
    public int ExcerptMaxLength { get; init; } = 8 * 1024;

    /// <summary>At most this many notices of one job are told one by one; earlier ones are counted in one line.</summary>
    public int DetailedPerJob { get; init; } = 5;

    /// <summary>At most this many notices go into one mail (the oldest first); the rest wait for the next mail.</summary>
    public int MaxNoticesPerMail { get; init; } = 1000;

    /// <summary>Past this length, a mail's body leaves out further output excerpts.</summary>
    public int MaxBodyLength { get; init; } = 256 * 1024;
}
