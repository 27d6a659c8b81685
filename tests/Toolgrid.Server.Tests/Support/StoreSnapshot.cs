using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Toolgrid.Server.Tests.Support;

/// <summary>Everything in the store a request could change, as text to compare before and after.</summary>
/// <remarks>A token's last use is left out: authenticating a request records it, refused or not.</remarks>
public static class StoreSnapshot
{
    public static async Task<string> TakeAsync(ToolgridApiFactory factory)
    {
        await using var db = factory.Store();
        var tools = await db.Tools.AsNoTracking().Include(t => t.Maintainers).OrderBy(t => t.Name).ToListAsync();
        var jobs = await db.Jobs.AsNoTracking().OrderBy(j => j.Id).ToListAsync();
        var runs = await db.Runs.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        var tokens = await db.Tokens.AsNoTracking().OrderBy(t => t.Id).ToListAsync();
        var nodes = await db.Nodes.AsNoTracking().OrderBy(n => n.Name).ToListAsync();
        var home = Directory.Exists(factory.DataRoot)
            ? Directory.GetFileSystemEntries(factory.DataRoot, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
        return JsonSerializer.Serialize(new
        {
            tools = tools.Select(t => new
            {
                t.Name,
                t.Description,
                t.DisabledAt,
                t.MaxMemoryBytes,
                t.MaxCpuMillis,
                t.MaxJobs,
                maintainers = t.Maintainers.Select(m => m.UserName).Order(StringComparer.Ordinal).ToList(),
            }),
            jobs = jobs.Select(j => new { j.Id, j.ToolName, j.Name, j.Command, j.MemoryBytes, j.CpuMillis, j.DeletedAt, j.Version }),
            runs = runs.Select(r => new { r.Id, r.JobId, r.State, r.Reason, r.Version }),
            tokens = tokens.Select(t => new { t.Id, t.UserName, t.Name, t.ExpiresAt, t.RevokedAt }),
            nodes = nodes.Select(n => n.Name),
            files = home,
        });
    }
}
