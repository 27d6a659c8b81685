using Microsoft.EntityFrameworkCore;
using Toolgrid.Core.Jobs;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary>The site's part of a tool's job rules as far as queues go: the queues that exist and those granted to the tool.</summary>
internal static class QueueSites
{
    /// <summary>
    /// The site for jobs of <paramref name="tool"/> that ask for <paramref name="asked"/>: the default
    /// queue needs no look-up; another one must be served by some node and granted to the tool.
    /// </summary>
    public static async Task<JobSite> ForAsync(ToolgridDbContext db, ServerOptions options, string tool, IEnumerable<string?> asked, CancellationToken cancellationToken)
    {
        if (asked.All(q => q is null or Queues.Default))
        {
            return options.SiteOf([Queues.Default]);
        }

        var granted = await db.QueueGrants.AsNoTracking().Where(g => g.ToolName == tool).Select(g => g.Queue).ToListAsync(cancellationToken);
        return options.SiteOf(await JobEndpoints.QueuesAsync(db, cancellationToken), granted);
    }
}
