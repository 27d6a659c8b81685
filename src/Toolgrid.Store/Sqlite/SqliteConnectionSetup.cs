using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Toolgrid.Store.Sqlite;

/// <summary>Applies a <c>synchronous</c> setting other than SQLite's default, which SQLite does not keep in the file.</summary>
internal sealed class SqliteConnectionSetup(string synchronous) : DbConnectionInterceptor
{
    private readonly string _pragmas = $"PRAGMA synchronous={synchronous};";

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
