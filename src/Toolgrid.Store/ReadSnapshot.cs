using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Toolgrid.Store;

/// <summary>Reads that must see one state of the store, whatever commits between them.</summary>
public static class ReadSnapshot
{
    /// <summary>
    /// Begins a transaction in which every query of <paramref name="db"/> reads the same
    /// committed state: on SQLite a deferred transaction (a read transaction from its first
    /// query on, in WAL mode never blocking writers), elsewhere a repeatable-read one.
    /// </summary>
    /// <remarks>
    /// Without it, queries read one after the other may see a job committed between them
    /// without the run committed with it, and a decision taken from them would start that
    /// job's run a second time.
    /// </remarks>
    public static async Task<IDbContextTransaction> BeginAsync(ToolgridDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.GetDbConnection() is SqliteConnection connection)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            return await db.Database.UseTransactionAsync(connection.BeginTransaction(deferred: true), cancellationToken)
                ?? throw new InvalidOperationException("The store did not take the snapshot's transaction.");
        }

        return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
    }
}
