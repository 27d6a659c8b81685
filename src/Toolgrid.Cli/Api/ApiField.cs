using System.Globalization;

namespace Toolgrid.Cli.Api;

/// <summary>The names of fields in the API's problems, e.g. <c>jobs[3].mem</c> for an entry of a list.</summary>
internal static class ApiField
{
    /// <summary>Reads <c>LIST[i].field</c> or <c>LIST[i] (name).field</c> (e.g. <c>jobs[3].mem</c>) into the index and the field.</summary>
    public static bool TryParseListItem(string? text, string list, out int index, out string field)
    {
        ArgumentNullException.ThrowIfNull(list);
        index = -1;
        field = "";
        if (text is null || !text.StartsWith(list + "[", StringComparison.Ordinal))
        {
            return false;
        }

        var close = text.IndexOf(']', list.Length + 1);
        if (close < 0 || !int.TryParse(text.AsSpan(list.Length + 1, close - list.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            return false;
        }

        // The API may name the entry after its index: jobs[3] (fetch).mem.
        var rest = text[(close + 1)..];
        if (rest.StartsWith(" (", StringComparison.Ordinal) && rest.LastIndexOf(").", StringComparison.Ordinal) is var named and > 0)
        {
            rest = rest[(named + 1)..];
        }

        field = rest.StartsWith('.') ? rest[1..] : "";
        return true;
    }
}
