using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;

namespace Toolgrid.Store.Tests;

public sealed class SqliteStoreTests : IAsyncLifetime
{
    private TempStore _store = null!;

    public async Task InitializeAsync() => _store = await TempStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static async Task<long> PragmaAsync(ToolgridDbContext db, string pragma)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {pragma}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Connections_ByDefault_AreSynchronousFull()
    {
        await using var db = _store.NewContext();

        Assert.Equal(2, await PragmaAsync(db, "synchronous")); // 2 = FULL
    }

    [Theory]
    [InlineData("normal", 1)]
    [InlineData("full", 2)]
    [InlineData("extra", 3)]
    public async Task Connections_TakeTheConfiguredSynchronous(string synchronous, long expected)
    {
        await using var services = TempStore.Build(_store.Path, new Dictionary<string, string?> { ["Toolgrid:Store:Synchronous"] = synchronous });
        await using var db = services.GetRequiredService<IDbContextFactory<ToolgridDbContext>>().CreateDbContext();

        Assert.Equal(expected, await PragmaAsync(db, "synchronous"));
    }

    [Fact]
    public async Task AListInAQuery_IsOneParameter_SoItMayBeLongerThanSqlitesLimitOnParameters()
    {
        await using var db = _store.NewContext();
        var ids = Enumerable.Range(1, 40_000).Select(i => (long)i).ToList();

        var query = db.Runs.Where(r => ids.Contains(r.Id));

        Assert.Contains("json_each", query.ToQueryString(), StringComparison.Ordinal);
        Assert.Empty(await query.ToListAsync());
    }

    [Fact]
    public async Task Connections_EnforceForeignKeys()
    {
        await using var db = _store.NewContext();

        Assert.Equal(1, await PragmaAsync(db, "foreign_keys"));
    }

    [Fact]
    public async Task Connections_ReusedFromThePool_KeepTheirSettings()
    {
        for (var i = 0; i < 3; i++)
        {
            await using var db = _store.NewContext();
            Assert.Equal(2, await PragmaAsync(db, "synchronous"));
            Assert.Equal(1, await PragmaAsync(db, "foreign_keys"));
        }
    }

    [Fact]
    public void ConnectionString_CarriesThePathAndTheBusyTimeoutInWholeSeconds()
    {
        var text = SqliteStore.ConnectionString(new StoreOptions { Path = "/var/lib/toolgrid/toolgrid.db", BusyTimeout = TimeSpan.FromMilliseconds(1500) });

        var parsed = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(text);
        Assert.Equal("/var/lib/toolgrid/toolgrid.db", parsed.DataSource);
        Assert.Equal(2, parsed.DefaultTimeout);
    }

    [Fact]
    public async Task AStoreFileThatWentAway_IsAnError_NotANewEmptyStore()
    {
        await using (var db = _store.NewContext())
        {
            db.Tools.Add(Sample.Tool());
            await db.SaveChangesAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Move(_store.Path, _store.Path + ".away");
        try
        {
            await using (var db = _store.NewContext())
            {
                var failure = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => db.Tools.CountAsync());
                Assert.Equal(14, failure.SqliteErrorCode); // SQLITE_CANTOPEN
            }

            Assert.False(File.Exists(_store.Path), "a reader created an empty store in the missing one's place");
        }
        finally
        {
            File.Move(_store.Path + ".away", _store.Path);
        }

        await using var back = _store.NewContext();
        Assert.Equal(1, await back.Tools.CountAsync());
    }

    [Fact]
    public async Task SavedJob_IsReadAfterEveryConnectionIsClosed()
    {
        long id;
        await using (var db = _store.NewContext())
        {
            db.Tools.Add(Sample.Tool());
            var job = Sample.Job();
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
            id = job.Id;
        }

        await _store.ReopenAsync();

        await using var fresh = _store.NewContext();
        var read = await fresh.Jobs.SingleAsync(j => j.Id == id);
        Assert.Equal("fetch", read.Name);
        Assert.Equal("./fetch.sh --all", read.Command);
    }

    [Fact]
    public async Task JobCommittedByAProcessKilledRightAfter_IsRead()
    {
        await using (var db = _store.NewContext())
        {
            db.Tools.Add(Sample.Tool());
            await db.SaveChangesAsync();
        }

        var at = (long)new DateTimeOffsetToBinaryConverter().ConvertToProvider(Sample.Now)!;
        var insert =
            "INSERT INTO Jobs (ToolName, Name, Kind, Command, MemoryBytes, CpuMillis, Retry, Queue, Emails, FileLog, GracePeriodSeconds, CreatedAt, CreatedBy, UpdatedAt, Version) " +
            $"VALUES ('mytool', 'crashy', 'OneOff', './crash.sh', 536870912, 500, 1, 'default', 'OnFailure', 1, 15, {at}, 'alice', {at}, 0);";

        // sqlite3 writes the marker file only once the INSERT before it has committed (its own
        // standard output is buffered when piped, so a file it closes is the prompt signal). Then
        // it is killed with SIGKILL: it never closes the database or checkpoints the WAL.
        var marker = Path.Combine(_store.Directory, "committed.txt");
        using var writer = Process.Start(new ProcessStartInfo("sqlite3", ["-batch", "-bail", _store.Path])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        try
        {
            await writer.StandardInput.WriteLineAsync("PRAGMA busy_timeout=10000;");
            await writer.StandardInput.WriteLineAsync(insert);
            await writer.StandardInput.WriteLineAsync($".once {marker}");
            await writer.StandardInput.WriteLineAsync("SELECT 'committed';");
            await writer.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!(File.Exists(marker) && (await File.ReadAllTextAsync(marker, timeout.Token)).StartsWith("committed", StringComparison.Ordinal)))
            {
                if (writer.HasExited)
                {
                    Assert.Fail($"sqlite3 ended before it committed: {await writer.StandardError.ReadToEndAsync(timeout.Token)}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, timeout.Token);
            }
        }
        finally
        {
            writer.Kill();
            await writer.WaitForExitAsync();
        }

        Assert.Equal(137, writer.ExitCode);
        await _store.ReopenAsync();
        await using var fresh = _store.NewContext();
        var job = await fresh.Jobs.SingleAsync(j => j.Name == "crashy");
        Assert.Equal("./crash.sh", job.Command);
        Assert.Equal(Core.Jobs.JobKind.OneOff, job.Kind);
        Assert.Equal(Core.Jobs.EmailPolicy.OnFailure, job.Emails);
        Assert.Equal(Sample.Now, job.CreatedAt);
    }
}
