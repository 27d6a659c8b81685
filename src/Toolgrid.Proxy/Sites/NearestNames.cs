namespace Toolgrid.Proxy.Sites;

/// <summary>The names nearest a mistyped one, for the not-found page.</summary>
/// <remarks>The same rule as the API's tool look-up (a small edit distance, or a name it begins), so both suggest alike.</remarks>
public static class NearestNames
{
    /// <summary>Up to three names within a small edit distance of <paramref name="name"/>, or starting with it; nearest first.</summary>
    public static IReadOnlyList<string> Of(string name, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(names);
        if (name.Length > 64)
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

    private static int Distance(string a, string b)
    {
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
