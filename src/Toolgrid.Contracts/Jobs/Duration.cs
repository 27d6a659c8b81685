using System.Globalization;

namespace Toolgrid.Contracts.Jobs;

/// <summary>Durations as people type them: <c>90s</c>, <c>30m</c>, <c>2h</c>, <c>1d</c>, <c>1h30m</c>, or a number of seconds.</summary>
public static class Duration
{
    public static bool TryParse(string? text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a duration is required, such as 90s, 30m, 2h or 1d.";
            return false;
        }

        var s = text.Trim();
        if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }

        var total = TimeSpan.Zero;
        var number = 0L;
        var digits = 0;
        foreach (var c in s)
        {
            if (char.IsAsciiDigit(c) && digits < 9)
            {
                number = (number * 10) + (c - '0');
                digits++;
                continue;
            }

            TimeSpan? unit = c switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                _ => null,
            };
            if (unit is null || digits == 0)
            {
                error = $"'{s}' is not a duration: write it like 90s, 30m, 2h, 1d or 1h30m.";
                return false;
            }

            total += unit.Value * number;
            number = 0;
            digits = 0;
        }

        if (digits != 0)
        {
            error = $"'{s}' is not a duration: every number needs a unit (s, m, h, d), as in 1h30m.";
            return false;
        }

        duration = total;
        return true;
    }

    /// <summary>The shortest way to write a duration in whole units: 90s → 90s, 3600s → 1h, 5400s → 1h30m.</summary>
    public static string Format(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        if (seconds == 0)
        {
            return "0s";
        }

        var parts = new List<string>();
        foreach (var (unit, size) in new[] { ("d", 86400L), ("h", 3600L), ("m", 60L), ("s", 1L) })
        {
            if (seconds >= size)
            {
                parts.Add((seconds / size).ToString(CultureInfo.InvariantCulture) + unit);
                seconds %= size;
            }
        }

        return string.Concat(parts);
    }
}
