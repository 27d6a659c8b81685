using Microsoft.Data.Sqlite;
using Toolgrid.Core.Diagnostics;

namespace Toolgrid.Store;

/// <summary>Tells the store's failures that pass (its disk is full) from the others.</summary>
public static class StoreFailures
{
    /// <summary>SQLite's result code for "database or disk is full".</summary>
    private const int SqliteFull = 13;

    /// <summary>Whether <paramref name="exception"/>, or one it wraps, says the store (or a file) could not be written for lack of disk space.</summary>
    public static bool IsDiskFull(Exception? exception) => IsStoreFull(exception) || DiskFull.Is(exception);

    /// <summary>Whether <paramref name="exception"/>, or one it wraps, is SQLite's "database or disk is full".</summary>
    public static bool IsStoreFull(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteFull })
            {
                return true;
            }
        }

        return false;
    }
}
