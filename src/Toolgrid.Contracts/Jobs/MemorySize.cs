using System.Globalization;

namespace Toolgrid.Contracts.Jobs;

/// <summary>Parses and formats memory sizes such as <c>512Mi</c>, <c>1Gi</c> or the grid era's <c>512m</c>.</summary>
/// <remarks>
/// Every suffix is binary (1024-based): <c>Ki</c>, <c>Mi</c>, <c>Gi</c>, <c>Ti</c> as in
/// Kubernetes and Toolforge, and <c>k</c>/<c>K</c>, <c>m</c>/<c>M</c>, <c>g</c>/<c>G</c>, <c>t</c>/<c>T</c>
/// as grid-era tools (<c>jsub -mem 512m</c>) meant them. A bare number is a count of bytes.
/// </remarks>
public static class MemorySize
{
    public const long KiB = 1024;
    public const long MiB = 1024 * KiB;
    public const long GiB = 1024 * MiB;
    public const long TiB = 1024 * GiB;

    /// <summary>Parses <paramref name="text"/>; returns false with a reason when it is not a size.</summary>
    public static bool TryParse(string? text, out long bytes, out string error)
    {
        bytes = 0;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a memory size is required, such as 512Mi or 1Gi.";
            return false;
        }

        var s = text.Trim();
        var split = s.Length;
        while (split > 0 && char.IsLetter(s[split - 1]))
        {
            split--;
        }

        var number = s[..split];
        var unit = s[split..];
        long multiplier = unit switch
        {
            "" => 1,
            "Ki" or "k" or "K" or "KB" or "kb" => KiB,
            "Mi" or "m" or "M" or "MB" or "mb" => MiB,
            "Gi" or "g" or "G" or "GB" or "gb" => GiB,
            "Ti" or "t" or "T" or "TB" or "tb" => TiB,
            _ => -1,
        };
        if (multiplier < 0)
        {
            error = $"'{text}' has an unknown unit '{unit}': use Ki, Mi, Gi or Ti (e.g. 512Mi, 2Gi).";
            return false;
        }

        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || number.Length == 0)
        {
            error = $"'{text}' is not a memory size: write a number and a unit, such as 512Mi or 1.5Gi.";
            return false;
        }

        if (value > (long.MaxValue / 2) / multiplier)
        {
            error = $"'{text}' is too large.";
            return false;
        }

        bytes = (long)decimal.Floor(value * multiplier);
        return true;
    }

    /// <summary>A byte count for people to read, rounded to one decimal in the largest unit that fits (e.g. 47.1Gi).</summary>
    public static string Describe(long bytes)
    {
        foreach (var (unit, size) in new[] { ("Ti", TiB), ("Gi", GiB), ("Mi", MiB), ("Ki", KiB) })
        {
            if (bytes >= size)
            {
                return (bytes / (double)size).ToString("0.#", CultureInfo.InvariantCulture) + unit;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Formats a byte count in the largest binary unit that divides it evenly.</summary>
    public static string Format(long bytes)
    {
        if (bytes == 0)
        {
            return "0";
        }

        foreach (var (unit, size) in new[] { ("Ti", TiB), ("Gi", GiB), ("Mi", MiB), ("Ki", KiB) })
        {
            if (bytes % size == 0)
            {
                return (bytes / size).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        // Not a whole number of KiB: bytes, exactly, so that formatting and parsing round-trip.
        return bytes.ToString(CultureInfo.InvariantCulture);
    }
}
