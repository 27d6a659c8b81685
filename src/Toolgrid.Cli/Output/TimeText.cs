using System.Globalization;

namespace Toolgrid.Cli.Output;

/// <summary>Times as a person reads them: local ("2025-06-01 14:03:07") and relative ("2 min ago").</summary>
internal sealed class TimeText
{
    private readonly TimeZoneInfo _zone;

    public TimeText(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Now = time.GetUtcNow();
        _zone = time.LocalTimeZone;
    }

    public DateTimeOffset Now { get; }

    /// <summary>Local time, to the second.</summary>
    public string Local(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, _zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Local time, without the date when it is today.</summary>
    public string Short(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, _zone);
        var today = TimeZoneInfo.ConvertTime(Now, _zone).Date;
        return local.ToString(local.Date == today ? "HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>"just now", "2 min ago", "in 3 days".</summary>
    public string Relative(DateTimeOffset at)
    {
        var span = Now - at;
        if (span.Duration() < TimeSpan.FromSeconds(1))
        {
            return "just now";
        }

        return span > TimeSpan.Zero ? Duration(span) + " ago" : "in " + Duration(span.Negate());
    }

    /// <summary>Local and relative: "2025-06-01 14:03:07 (2 min ago)".</summary>
    public string Both(DateTimeOffset at) => $"{Local(at)} ({Relative(at)})";

    public string Both(DateTimeOffset? at) => at is { } value ? Both(value) : "";

    /// <summary>A length of time, coarse: "12 s", "3 min", "2 h 5 min", "3 days".</summary>
    public static string Duration(TimeSpan span)
    {
        var s = span.Duration();
        return s switch
        {
            _ when s < TimeSpan.FromMinutes(1) => FormattableString.Invariant($"{(int)s.TotalSeconds} s"),
            _ when s < TimeSpan.FromHours(1) => FormattableString.Invariant($"{(int)s.TotalMinutes} min"),
            _ when s < TimeSpan.FromDays(2) => s.Minutes == 0
                ? FormattableString.Invariant($"{(int)s.TotalHours} h")
                : FormattableString.Invariant($"{(int)s.TotalHours} h {s.Minutes} min"),
            _ => FormattableString.Invariant($"{(int)s.TotalDays} days"),
        };
    }
}
