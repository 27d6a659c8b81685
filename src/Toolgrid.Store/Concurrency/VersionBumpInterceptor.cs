using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Toolgrid.Store.Concurrency;

/// <summary>
/// Bumps the version of every changed row as it is saved: the one place where a job's, a run's
/// or a mail's <c>Version</c> (their optimistic concurrency token) goes up.
/// </summary>
/// <remarks>
/// The UPDATE checks the version the row was read with and writes that plus one, so of two
/// writers that read the same version, the second is refused (<see cref="DbUpdateConcurrencyException"/>).
/// The bump starts from the version as read, never from one the code set, so a row changed
/// twice before one save goes up by one. A row whose own columns are unchanged but whose write
/// must still be checked (a scheduled job's due time handled) marks its version modified.
/// Bulk updates (<c>ExecuteUpdate</c>) bypass the change tracker, so they set the version
/// themselves.
/// </remarks>
internal sealed class VersionBumpInterceptor : SaveChangesInterceptor
{
    public const string Property = "Version";

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Bump(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Bump(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Bump(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // Entries() detects changes first (when automatic detection is on), so an entity changed
        // without a call into EF is seen as modified here.
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State != EntityState.Modified || entry.Metadata.FindProperty(Property) is not { IsConcurrencyToken: true } token || token.ClrType != typeof(int))
            {
                continue;
            }

            var version = entry.Property(token);
            version.CurrentValue = (int)version.OriginalValue! + 1;
        }
    }
}
