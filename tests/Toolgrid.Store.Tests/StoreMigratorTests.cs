using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Toolgrid.Store.Tests;

public sealed class StoreMigratorTests : IAsyncLifetime
{
    private TempStore _store = null!;

    public async Task InitializeAsync() => _store = await TempStore.CreateAsync(migrate: false);

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private Task MigrateAsync() => _store.Services.GetRequiredService<StoreMigrator>().MigrateAsync(CancellationToken.None);

    private List<string> Tables()
    {
        using var connection = _store.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    [Fact]
    public async Task MigrateAsync_EmptyDatabase_CreatesEveryTable()
    {
        await MigrateAsync();

        Assert.Equal(["IdempotentRequests", "Jobs", "Mails", "Maintainers", "Nodes", "Notices", "PersonLimits", "QueueGrants", "QueueRequests", "RunStateCounts", "Runs", "Tokens", "Tools", "__EFMigrationsHistory", "__EFMigrationsLock"], Tables());
        await using var db = _store.NewContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Model_HasNoChangesMissingFromTheMigrations()
    {
        await MigrateAsync();
        await using var db = _store.NewContext();

        Assert.False(db.Database.HasPendingModelChanges(), "the model has changes no migration holds: add a migration.");
    }

    [Fact]
    public async Task MigrateAsync_SwitchesTheFileToWriteAheadLogging()
    {
        await MigrateAsync();

        // WAL is a property of the file: a plain connection, without the store's settings, sees it too.
        using var connection = _store.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task MigrateAsync_Again_KeepsTheData()
    {
        await MigrateAsync();
        await using (var db = _store.NewContext())
        {
            db.Tools.Add(Sample.Tool());
            await db.SaveChangesAsync();
        }

        await MigrateAsync();
        await _store.ReopenAsync();
        await MigrateAsync();

        await using var again = _store.NewContext();
        Assert.Equal("mytool", (await again.Tools.SingleAsync()).Name);
    }

    [Fact]
    public async Task MigrateAsync_FromBeforeTokenScopes_KeepsTheTokensForTheStartToBringIntoLine()
    {
        // A store as the version before token scopes left it, with a token that never expires.
        await _store.MigrateToAsync("20261128010151_ScheduledRunsAhead");

        using (var connection = _store.OpenRaw())
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO Tokens (UserName, Name, SecretHash, CreatedAt, ExpiresAt, LastUsedAt, RevokedAt) VALUES ('alice', 'laptop', 'abc', 1, NULL, NULL, NULL)";
            insert.ExecuteNonQuery();
        }

        await MigrateAsync();

        using var raw = _store.OpenRaw();
        using var query = raw.CreateCommand();
        query.CommandText = "SELECT UserName, Name, SecretHash, ExpiresAt IS NULL, Scope, MadeBy, ParentId IS NULL FROM Tokens";
        using var reader = query.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(("alice", "laptop", "abc", 1L, "", "", 1L), (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5), reader.GetInt64(6)));
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task MigrateAsync_FromBeforeNextDueTimes_GivesEachLiveScheduledJobATimeToBeLookedAt()
    {
        await _store.MigrateToAsync("20261204192547_WebserviceDotPathsAndListening");

        using (var connection = _store.OpenRaw())
        {
            Insert(connection, "Tools", new Dictionary<string, object> { ["Name"] = "mytool" });
            InsertJob(connection, "ran", "Scheduled", lastDueAt: 500, deletedAt: null);
            InsertJob(connection, "new", "Scheduled", lastDueAt: null, deletedAt: null);
            InsertJob(connection, "gone", "Scheduled", lastDueAt: 500, deletedAt: 900);
            InsertJob(connection, "once", "OneOff", lastDueAt: null, deletedAt: null);
        }

        await MigrateAsync();

        using var raw = _store.OpenRaw();
        using var query = raw.CreateCommand();
        query.CommandText = "SELECT Name, NextDueAt FROM Jobs ORDER BY Name";
        using var reader = query.ExecuteReader();
        var found = new List<(string, long?)>();
        while (reader.Read())
        {
            found.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
        }

        // Its last due time, or its creation (100): no later than its next due time.
        Assert.Equal([("gone", null), ("new", 100L), ("once", null), ("ran", 500L)], found);
    }

    private static void InsertJob(Microsoft.Data.Sqlite.SqliteConnection connection, string name, string kind, long? lastDueAt, long? deletedAt) =>
        Insert(connection, "Jobs", new Dictionary<string, object>
        {
            ["Name"] = name,
            ["ToolName"] = "mytool",
            ["Kind"] = kind,
            ["CreatedAt"] = 100L,
            ["LastDueAt"] = (object?)lastDueAt ?? DBNull.Value,
            ["DeletedAt"] = (object?)deletedAt ?? DBNull.Value,
        });

    /// <summary>A row as an older schema holds it: every required column a plain value, <paramref name="given"/> as given.</summary>
    private static void Insert(Microsoft.Data.Sqlite.SqliteConnection connection, string table, Dictionary<string, object> given)
    {
        var values = new Dictionary<string, object>();
        using (var info = connection.CreateCommand())
        {
            info.CommandText = $"SELECT name, type FROM pragma_table_info('{table}') WHERE \"notnull\" = 1 AND pk = 0 AND dflt_value IS NULL";
            using var reader = info.ExecuteReader();
            while (reader.Read())
            {
                values[reader.GetString(0)] = reader.GetString(1) == "TEXT" ? "" : 0L;
            }
        }

        foreach (var (column, value) in given)
        {
            values[column] = value;
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO {table} ({string.Join(", ", values.Keys)}) VALUES ({string.Join(", ", values.Keys.Select(k => "$" + k))})";
        foreach (var (column, value) in values)
        {
            insert.Parameters.AddWithValue("$" + column, value);
        }

        insert.ExecuteNonQuery();
    }

    [Fact]
    public async Task MigrateAsync_DirectoryOfTheFileMissing_CreatesIt()
    {
        var path = Path.Combine(_store.Directory, "state", "deeper", "toolgrid.db");
        await using var services = TempStore.Build(path);

        await services.GetRequiredService<StoreMigrator>().MigrateAsync(CancellationToken.None);

        Assert.True(File.Exists(path));
    }
}
