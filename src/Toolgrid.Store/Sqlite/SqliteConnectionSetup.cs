using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Toolgrid.Store.Sqlite;

/// <summary>Applies the per-connection settings SQLite does not keep in the file.</summary>
/// <remarks>
/// <c>busy_timeout</c> lets SQLite itself wait for another writer, in steps of a few
/// milliseconds. Without it Microsoft.Data.Sqlite retries a busy statement after sleeping
/// 150 ms, which a writer briefly holding the lock (the API beside the controller) turns
/// into 150 ms stalls. <c>synchronous</c> is set only when it is not SQLite's default (FULL).
/// </remarks>
internal sealed class SqliteConnectionSetup(string synchronous, TimeSpan busyTimeout) : DbConnectionInterceptor
{
    private readonly string _pragmas =
        $"PRAGMA busy_timeout={((long)busyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)};"
        + (string.Equals(synchronous, "full", StringComparison.OrdinalIgnoreCase) ? "" : $" PRAGMA synchronous={synchronous};");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
