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
            var nearest = NearestNames.Of(name, names);
            var hint = nearest.Count > 0 ? $" Did you mean {string.Join(" or ", nearest.Select(n => $"'{n}'"))}?" : "";
            throw ToolgridException.NotFound("tool-not-found", $"there is no tool named '{InputText.Shorten(name)}'.{hint}");
        }

        if (!tool.IsActive && !allowDisabled)
        {
            throw ToolgridException.Conflict("tool-disabled", $"tool '{tool.Name}' was deleted on {tool.DisabledAt:yyyy-MM-dd}; its files are kept in {tool.Home}, but it can run nothing.");
        }

        return tool;
    }
}
