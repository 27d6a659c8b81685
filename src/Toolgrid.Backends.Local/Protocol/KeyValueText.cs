using System.Text;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>The <c>key=value</c> lines of <c>RUNDIR/started</c> and <c>RUNDIR/exit</c>.</summary>
/// <remarks>A value never holds a newline: the writer escapes backslash and newline as <c>\\</c> and <c>\n</c>.</remarks>
internal static class KeyValueText
{
    public static ILookup<string, string> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToLookup(parts => parts[0], parts => Unescape(parts[1]), StringComparer.Ordinal);

    public static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal);

    public static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
                text.Append(value[i] == 'n' ? '\n' : value[i]);
            }
            else
            {
                text.Append(value[i]);
            }
        }

        return text.ToString();
    }

    public static string? String(this ILookup<string, string> values, string key) =>
        values[key].LastOrDefault() is { Length: > 0 } value ? value : null;

    public static long? Long(this ILookup<string, string> values, string key) =>
        long.TryParse(values.String(key), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null;

    public static int? Int(this ILookup<string, string> values, string key) =>
        int.TryParse(values.String(key), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null;

    public static bool Flag(this ILookup<string, string> values, string key) => values.String(key) == "1";

    /// <summary>Unix time in nanoseconds, as the shepherd writes it; 0 or missing is unknown.</summary>
    public static DateTimeOffset? Time(this ILookup<string, string> values, string key) =>
        values.Long(key) is { } ns and > 0 ? DateTimeOffset.UnixEpoch.AddTicks(ns / 100) : null;
}
