using Microsoft.EntityFrameworkCore;
using Toolgrid.Core.Runs;
using Toolgrid.Store;

namespace Toolgrid.Controller;

/// <summary>Changes runs in the store under optimistic concurrency: each change is applied to a fresh copy, and tried again if someone else changed the run meanwhile.</summary>
/// <remarks>The notices a change gives (<see cref="RunNotices"/>) are written in the same transaction as the change.</remarks>
public sealed class RunUpdates(IDbContextFactory<ToolgridDbContext> contexts, RunNotices? notices = null)
{
    private const int Attempts = 8;

    /// <summary>
    /// Applies <paramref name="change"/> to each run (a run that is gone is skipped). Changes go in
    /// one transaction; on a concurrency conflict, the runs are read again and the change applied
    /// again, so a decision is always made on the run as it is now.
    /// </summary>
    /// <returns>The runs as stored after the change, for those that <paramref name="change"/> changed.</returns>
    /// <param name="runIds">The runs to change.</param>
    /// <param name="change">The change, applied to each run as it is now; returns whether it changed it.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <param name="alongside">Further changes that belong in the same transaction (e.g. to the runs' jobs), given the changed runs.</param>
    /// <param name="crashLoopCounted">Whether <paramref name="alongside"/> counted a run's end in its job's crash loop (for the crash-loop notice).</param>
    public async Task<IReadOnlyList<Run>> UpdateAsync(
        IReadOnlyCollection<long> runIds,
        Func<Run, bool> change,
        CancellationToken cancellationToken,
        Func<ToolgridDbContext, IReadOnlyList<Run>, CancellationToken, Task>? alongside = null,
        Func<Run, bool>? crashLoopCounted = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var runs = await db.Runs.Where(r => runIds.Contains(r.Id)).ToListAsync(cancellationToken);
            var before = runs.ToDictionary(r => r.Id, r => r.State);
            var changed = runs.Where(change).ToList();
            if (changed.Count == 0)
            {
                return changed;
            }

            if (alongside is not null)
            {
                await alongside(db, changed, cancellationToken);
            }

            if (notices is not null)
            {
                await notices.AddAsync(db, changed, before, crashLoopCounted, cancellationToken);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return changed;
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                // Another writer got there first; look again.
            }
        }
    }

    public async Task<Run?> UpdateAsync(long runId, Func<Run, bool> change, CancellationToken cancellationToken)
    {
        var changed = await UpdateAsync([runId], change, cancellationToken);
        return changed.Count == 0 ? null : changed[0];
    }
}
