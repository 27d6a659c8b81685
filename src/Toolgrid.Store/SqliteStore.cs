using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Toolgrid.Store.Sqlite;

namespace Toolgrid.Store;

/// <summary>How the store is opened on SQLite.</summary>
public static class SqliteStore
{
    public static string ConnectionString(StoreOptions options) => new SqliteConnectionStringBuilder
    {
        DataSource = options.Path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        ForeignKeys = true,
    }.ToString();

    public static void Configure(DbContextOptionsBuilder builder, StoreOptions options)
    {
        builder
            .UseSqlite(ConnectionString(options), sqlite => sqlite.MigrationsAssembly(typeof(SqliteStore).Assembly.FullName))
            .AddInterceptors(new SqliteConnectionSetup(options.Synchronous, options.BusyTimeout));
    }
}
