using Microsoft.EntityFrameworkCore;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Jobs;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary>Refuses a job whose fixed port (<c>--port 8000</c>) another live job already has, on any tool.</summary>
internal static class FixedPorts
{
    /// <summary>
    /// Throws a conflict naming the holder when one of <paramref name="jobs"/> (about to be written)
    /// asks for a fixed port that another live job has; jobs in <paramref name="leaving"/> (deleted in
    /// the same change) do not count.
    /// </summary>
    public static async Task EnsureFreeAsync(ToolgridDbContext db, IReadOnlyCollection<Job> jobs, IReadOnlySet<long> leaving, CancellationToken cancellationToken)
    {
        var ports = jobs.Where(j => j.UsesPort && j.FixedPort is not null).Select(j => j.FixedPort).Distinct().ToList();
        if (ports.Count == 0)
        {
            return;
        }

        var holders = await db.Jobs.AsNoTracking()
            .Where(j => j.DeletedAt == null && j.UsesPort && ports.Contains(j.FixedPort))
            .ToListAsync(cancellationToken);
        var live = holders.Where(h => !leaving.Contains(h.Id)).Concat(jobs).ToList();
        foreach (var job in jobs)
        {
            if (JobRules.FixedPortHolder(job, live) is { } holder)
            {
                throw ToolgridException.Conflict(
                    "port-taken",
                    $"port {job.FixedPort} is already the fixed port of job '{holder.Name}' of tool '{holder.ToolName}': two jobs cannot serve on one port. Choose another port, or 0 to have one assigned to each run in $PORT.");
            }
        }
    }
}
