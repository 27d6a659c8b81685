using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cronos;

namespace Toolgrid.Core.Jobs;

/// <summary>A scheduled job's schedule: five cron fields or a macro, read in a time zone.</summary>
/// <remarks>
/// <para>
/// The macros <c>@hourly</c>, <c>@daily</c>, <c>@weekly</c>, <c>@monthly</c> and <c>@yearly</c>
/// (<c>@annually</c>) are spread over their period by a value hashed from the tool's and the
/// job's names, so that a site's jobs do not all fire at :00. The value is stable for a job and
/// differs between jobs: the minute is 0–59, the hour 0–23, the day of the week 0–6, the day of
/// the month 1–28 (never 29–31, which some months lack), the month 1–12. <c>@midnight</c> is
/// <c>@daily</c>: spread over the whole day like it, not at midnight.
/// </para>
/// <para>
/// The five fields are read by Cronos, case-insensitively: names for months (<c>JAN</c>–<c>DEC</c>)
/// and days (<c>SUN</c>–<c>SAT</c>, and 0 or 7 for Sunday), ranges (reversed ones wrap:
/// <c>22-2</c> is 22, 23, 0, 1, 2), lists, steps, and Cronos's <c>L</c>, <c>W</c>, <c>#</c>
/// and <c>?</c>. Unlike Vixie cron, a schedule that names both a day of the month and a day of
/// the week falls due when <em>both</em> match (<c>0 0 13 * FRI</c> is Friday the 13th). A
/// schedule that never falls due (<c>0 0 30 FEB *</c>) is refused.
/// </para>
/// <para>
/// Daylight-saving changes, as Cronos does them (and as the tests pin down):
/// <list type="bullet">
/// <item>Clocks go forward: a due time in the skipped hour falls due once, at the first instant
/// after the gap. A daily job at 02:30 runs at 03:00 that day; an hourly job at :15 has no 02:15,
/// and runs at 03:00 for it, then at 03:15 as usual.</item>
/// <item>Clocks go back: a schedule whose minute and hour fields are fixed values or lists
/// (a daily job at 02:30) falls due once, in the first pass of the repeated hour (still on summer
/// time). A schedule with <c>*</c>, a range or a step in its minute or hour field (an hourly job, or
/// <c>*/30 2 * * *</c>) keeps its rhythm in real time: it falls due in both passes, so an hourly job
/// at :15 runs once in each pass, an hour apart.</item>
/// </list>
/// Either way no instant is due twice, and reading on from any due time never finds it again.
/// </para>
/// </remarks>
public sealed class CronSchedule
{
    /// <summary>Where the check for a schedule that never falls due starts: any fixed instant does, as cron has no year.</summary>
    private static readonly DateTime NeverDueProbe = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly CronExpression _expression;

    private CronSchedule(string text, string fields, CronExpression expression, TimeZoneInfo zone)
    {
        Text = text;
        Fields = fields;
        _expression = expression;
        Zone = zone;
    }

    /// <summary>The schedule as typed.</summary>
    public string Text { get; }

    /// <summary>The five cron fields it stands for (a macro expanded with the job's spread).</summary>
    public string Fields { get; }

    /// <summary>The time zone the fields are read in.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>Reads a schedule; on failure, <paramref name="error"/> says what is wrong and how to write it.</summary>
    /// <param name="text">Five cron fields, or a macro.</param>
    /// <param name="tool">The tool, for the macros' spread.</param>
    /// <param name="job">The job, for the macros' spread.</param>
    /// <param name="zoneId">The job's IANA time zone, or null for <paramref name="defaultZoneId"/>.</param>
    /// <param name="defaultZoneId">The site's time zone.</param>
    /// <param name="schedule">The schedule.</param>
    /// <param name="error">Why it could not be read.</param>
    public static bool TryParse(string? text, string tool, string job, string? zoneId, string defaultZoneId, out CronSchedule? schedule, out string error)
    {
        schedule = null;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a schedule is required: five cron fields such as '30 2 * * *', or @hourly, @daily, @weekly, @monthly, @yearly.";
            return false;
        }

        if (!TryZone(zoneId ?? defaultZoneId, out var zone))
        {
            error = $"'{zoneId ?? defaultZoneId}' is not a known time zone: use an IANA name such as Europe/Berlin, America/New_York or UTC.";
            return false;
        }

        var trimmed = text.Trim();
        string fields;
        if (trimmed.StartsWith('@'))
        {
            if (Expand(trimmed.ToLowerInvariant(), tool, job) is not { } expanded)
            {
                error = $"'{trimmed}' is not a schedule macro: use @hourly, @daily, @weekly, @monthly or @yearly.";
                return false;
            }

            fields = expanded;
        }
        else
        {
            fields = string.Join(' ', trimmed.Split(' ', '\t').Where(f => f.Length > 0));
            if (fields.Split(' ').Length != 5)
            {
                error = $"'{trimmed}' has {fields.Split(' ').Length} fields; a schedule has five: minute hour day-of-month month day-of-week (e.g. '30 2 * * MON-FRI').";
                return false;
            }
        }

        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(fields.ToUpperInvariant(), CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            error = $"'{trimmed}' is not a valid schedule: {Explain(e)}";
            return false;
        }

        // Cronos accepts days that no month has (30 FEB, 31 APR); such a job would silently never run.
        if (expression.GetNextOccurrence(NeverDueProbe, TimeZoneInfo.Utc) is null)
        {
            error = $"'{trimmed}' never falls due: no month has that day (or that day on that weekday).";
            return false;
        }

        schedule = new CronSchedule(trimmed, fields, expression, zone);
        return true;
    }

    /// <summary>The first due time strictly after <paramref name="after"/>, or null when there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) =>
        _expression.GetNextOccurrence(after.UtcDateTime, Zone, inclusive: false) is { } next ? new DateTimeOffset(next, TimeSpan.Zero) : null;

    /// <summary>Every due time in (<paramref name="from"/>, <paramref name="to"/>], oldest first, at most <paramref name="limit"/> (the oldest); none when <paramref name="to"/> is not after <paramref name="from"/>.</summary>
    public IReadOnlyList<DateTimeOffset> Between(DateTimeOffset from, DateTimeOffset to, int limit = 1000) =>
        // Cronos throws when from is after to; a clock that steps back must not crash the scheduler.
        to <= from
            ? []
            : _expression.GetOccurrences(from.UtcDateTime, to.UtcDateTime, Zone, fromInclusive: false, toInclusive: true)
                .Take(limit)
                .Select(d => new DateTimeOffset(d, TimeSpan.Zero))
                .ToList();

    /// <summary>The next <paramref name="count"/> due times after <paramref name="after"/>.</summary>
    public IReadOnlyList<DateTimeOffset> Next(DateTimeOffset after, int count)
    {
        var times = new List<DateTimeOffset>(count);
        var cursor = after;
        while (times.Count < count && NextAfter(cursor) is { } next)
        {
            times.Add(next);
            cursor = next;
        }

        return times;
    }

    /// <summary>The five fields a macro stands for, spread by the job's hash; null for an unknown macro.</summary>
    public static string? Expand(string macro, string tool, string job)
    {
        var spread = Spread(tool, job);
        var minute = spread[0] % 60;
        var hour = spread[1] % 24;
        var weekday = spread[2] % 7;
        var day = (spread[3] % 28) + 1;
        var month = (spread[4] % 12) + 1;
        return macro switch
        {
            "@hourly" => Invariant($"{minute} * * * *"),
            "@daily" or "@midnight" => Invariant($"{minute} {hour} * * *"),
            "@weekly" => Invariant($"{minute} {hour} * * {weekday}"),
            "@monthly" => Invariant($"{minute} {hour} {day} * *"),
            "@yearly" or "@annually" => Invariant($"{minute} {hour} {day} {month} *"),
            _ => null,
        };
    }

    /// <summary>Five stable values from the tool's and job's names (not string.GetHashCode, which changes per process).</summary>
    private static int[] Spread(string tool, string job)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(tool + "/" + job));
        return [.. Enumerable.Range(0, 5).Select(i => (int)(BitConverter.ToUInt32(hash, i * 4) & int.MaxValue))];
    }

    /// <summary>Cronos's message without its generic preamble: "Minutes: Value must be a number between 0 and 59 (all inclusive)."</summary>
    private static string Explain(CronFormatException e)
    {
        const string Preamble = "The given cron expression has an invalid format. ";
        return e.Message.StartsWith(Preamble, StringComparison.Ordinal) ? e.Message[Preamble.Length..] : e.Message;
    }

    private static bool TryZone(string id, out TimeZoneInfo zone)
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
        {
            zone = found;
            return true;
        }

        zone = TimeZoneInfo.Utc;
        return false;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
