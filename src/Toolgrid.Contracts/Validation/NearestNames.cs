namespace Toolgrid.Contracts.Validation;

/// <summary>The names nearest a mistyped one, for "did you mean": by edit distance, the one rule the API, the proxy and the CLI suggest by.</summary>
public static class NearestNames
{
    /// <summary>Longer than this, a name is not looked at: nothing honest is that far off, and the distance grows with the square of the length.</summary>
    public const int MaxLength = 64;

    /// <summary>Up to three names within a small edit distance of <paramref name="name"/>, or starting with it; nearest first.</summary>
    public static IReadOnlyList<string> Of(string name, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(names);
        if (name.Length > MaxLength)
        {
            return [];
        }

        return names.Select(n => (Name: n, Distance: Distance(name, n)))
            .Where(x => x.Distance <= Math.Max(2, name.Length / 3) || x.Name.StartsWith(name, StringComparison.Ordinal))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(3)
            .Select(x => x.Name)
            .ToList();
    }

    /// <summary>
    /// The one name <paramref name="name"/> is most likely a typo of: at most two letters off, and
    /// no more than a third of the name's letters (so that a short name suggests only a near twin); null when none is.
    /// </summary>
    public static string? Closest(string name, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(names);
        if (name.Length > MaxLength)
        {
            return null;
        }

        return names.Select(n => (Name: n, Distance: Distance(name, n)))
            .Where(x => x.Distance <= Math.Min(2, x.Name.Length / 3))
            .OrderBy(x => x.Distance)
            .Select(x => x.Name)
            .FirstOrDefault();
    }

    /// <summary>The Levenshtein distance between <paramref name="a"/> and <paramref name="b"/>: the fewest letters added, removed or changed.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
