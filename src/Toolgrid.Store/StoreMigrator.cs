using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Toolgrid.Store;

/// <summary>Brings the store's schema up to date and switches SQLite to write-ahead logging.</summary>
public sealed partial class StoreMigrator(IDbContextFactory<ToolgridDbContext> contexts, ILogger<StoreMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            var path = db.Database.GetDbConnection().DataSource;
            if (Path.GetDirectoryName(path) is { Length: > 0 } directory)
            {
                Directory.CreateDirectory(directory);
            }

            // The one place the file is created: every other connection opens it only if it exists.
            // WAL is a property of the file: set once, kept by every later connection.
            var creating = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Mode = SqliteOpenMode.ReadWriteCreate };
            await using var connection = new SqliteConnection(creating.ToString());
            await connection.OpenAsync(cancellationToken);
            await using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            var names = string.Join(", ", pending);
            LogMigrating(pending.Count, names);
            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Applying {Count} store migration(s): {Migrations}")]
    private partial void LogMigrating(int count, string migrations);
}
