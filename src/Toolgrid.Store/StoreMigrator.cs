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

            // WAL is a property of the file: set once, kept by every later connection.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
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
