using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Toolgrid.Store.Changes;
using Toolgrid.Store.Concurrency;
using Toolgrid.Store.Sqlite;

namespace Toolgrid.Store;

/// <summary>How the store is opened on SQLite.</summary>
public static class SqliteStore
{
    /// <summary>
    /// The connection string of the store's file, which must exist: only <see cref="StoreMigrator"/>
    /// creates it. A store file that went away (deleted, moved, a mount
    /// not there yet) is an error every reader and writer reports, never a new, empty store taken
    /// for the real one, whose files SQLite could then mix with the real one's when it comes back.
    /// </summary>
    public static string ConnectionString(StoreOptions options) => new SqliteConnectionStringBuilder
    {
        DataSource = options.Path,
        Mode = SqliteOpenMode.ReadWrite,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        ForeignKeys = true,
    }.ToString();

    /// <summary>Configures <paramref name="builder"/> for the store; <paramref name="changes"/>, when given, hears of every committed save.</summary>
    public static void Configure(DbContextOptionsBuilder builder, StoreOptions options, StoreChanges? changes = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The versions go up before the changes are noted, so that what is published is what is stored.
        List<IInterceptor> interceptors = [new SqliteConnectionSetup(options.Synchronous, options.BusyTimeout), new VersionBumpInterceptor()];
        if (changes is not null)
        {
            interceptors.Add(new StoreChangeInterceptor(changes));
        }

        builder
            .UseSqlite(
                ConnectionString(options),
                sqlite => sqlite
                    .MigrationsAssembly(typeof(SqliteStore).Assembly.FullName)

                    // A list in a query (ids.Contains(r.Id)) is one JSON parameter, not one
                    // parameter per element: SQLite finds a named parameter by a linear search of
                    // the statement's names, so binding a thousand of them costs a million string
                    // comparisons, and a statement may have at most 32,766.
                    .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
            .AddInterceptors(interceptors);
    }
}
