namespace Toolgrid.Contracts;

/// <summary>Reads an enum's wire spelling back: the value whose spelling is the text.</summary>
public static class WireSpelling
{
    /// <summary>The value of <typeparamref name="T"/> that <paramref name="spell"/> spells as <paramref name="text"/>, exactly.</summary>
    public static bool TryParse<T>(string? text, Func<T, string> spell, out T value)
        where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(spell);
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(spell(candidate), text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
