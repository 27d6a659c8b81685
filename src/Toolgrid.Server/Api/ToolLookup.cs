using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Tools;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary>Finds a tool by name for an endpoint, or refuses with a 404 that suggests the nearest names.</summary>
public static class ToolLookup
{
    public static async Task<Tool> FindAsync(ToolgridDbContext db, string name, CancellationToken cancellationToken, bool allowDisabled = false)
    {
        var tool = await db.Tools.Include(t => t.Maintainers).FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        if (tool is null)
        {
            var names = await db.Tools.Where(t => t.DisabledAt == null).Select(t => t.Name).ToListAsync(cancellationToken);
            var nearest = Nearest(name, names);
            var hint = nearest.Count > 0 ? $" Did you mean {string.Join(" or ", nearest.Select(n => $"'{n}'"))}?" : "";
            throw ToolgridException.NotFound("tool-not-found", $"there is no tool named '{InputText.Shorten(name)}'.{hint}");
        }

        if (!tool.IsActive && !allowDisabled)
        {
            throw ToolgridException.Conflict("tool-disabled", $"tool '{tool.Name}' was deleted on {tool.DisabledAt:yyyy-MM-dd}; its files are kept in {tool.Home}, but it can run nothing.");
        }

        return tool;
    }

    /// <summary>Up to three names within a small edit distance of <paramref name="name"/>, nearest first.</summary>
    public static IReadOnlyList<string> Nearest(string name, IEnumerable<string> names) =>
        names.Select(n => (Name: n, Distance: Distance(name, n)))
            .Where(x => x.Distance <= Math.Max(2, name.Length / 3) || x.Name.StartsWith(name, StringComparison.Ordinal))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(3)
            .Select(x => x.Name)
            .ToList();

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
