using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Toolgrid.Store.Tests;

/// <summary>
/// What <see cref="StoreCommitWatch"/> hears of: commits by any connection, not reads, each listener
/// woken once per burst no later than its interval. Waits are on conditions, with a patience that
/// only catches a hang.
/// </summary>
public sealed class StoreCommitWatchTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private TempStore _store = null!;

    public async Task InitializeAsync() => _store = await TempStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task A_commit_by_another_connection_wakes_a_listener()
    {
        var watch = _store.Services.GetRequiredService<StoreCommitWatch>();
        Assert.True(watch.Watching);
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listening = watch.Listen(TimeSpan.FromMilliseconds(10), () => woken.TrySetResult());

        using var connection = _store.OpenRaw();
        Execute(connection, "CREATE TABLE outside (x INTEGER); INSERT INTO outside VALUES (1);");

        await woken.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task Reads_on_open_connections_are_not_heard_one_by_one_and_a_write_after_them_is()
    {
        // The connections are open before the watch starts, as a server's pooled ones are (opening
        // one is heard: SQLite opens the -wal for writing, and its close is a write's close to the
        // kernel; a wake-up for it costs one look at the commit counter). On a busy host SQLite may
        // still close a descriptor it had set aside during the reads, and that is heard too: what
        // must not be is a write heard per read, which would wake the loops at every read they make.
        // The marker is a file the watch's filter takes, written after the reads: the kernel tells
        // of writes in order, so what was heard for the reads is heard before it.
        using var connection = _store.OpenRaw();
        await ReadAsync(connection);

        // Opened before the watch, written once after the reads, closed at the end: one write, one event.
        await using var marker = new FileStream(_store.Path + ".marker", FileMode.Create, FileAccess.Write);
        using var watch = new StoreCommitWatch(Options.Create(new StoreOptions { Path = _store.Path }), TimeProvider.System, NullLogger<StoreCommitWatch>.Instance);

        const int Reads = 20;
        for (var i = 0; i < Reads; i++)
        {
            await ReadAsync(connection);
        }

        marker.Write("after the reads"u8);
        marker.Flush();
        await UntilAsync(() => watch.LastHeard == "toolgrid.db.marker");
        Assert.InRange(watch.Heard, 0, 3);
    }

    [Fact]
    public async Task A_burst_of_commits_wakes_a_listener_once_and_not_before_its_interval()
    {
        var time = new FakeTimeProvider();
        using var watch = new StoreCommitWatch(Options.Create(new StoreOptions { Path = _store.Path }), time, NullLogger<StoreCommitWatch>.Instance);
        var wakes = 0;
        using var listening = watch.Listen(TimeSpan.FromMinutes(1), () => Interlocked.Increment(ref wakes));

        using var connection = _store.OpenRaw();
        Execute(connection, "CREATE TABLE outside (x INTEGER);");
        for (var i = 0; i < 5; i++)
        {
            Execute(connection, $"INSERT INTO outside VALUES ({i});");
        }

        await UntilAsync(() => watch.Heard >= 1);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, Volatile.Read(ref wakes));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, Volatile.Read(ref wakes));

        // Heard again, woken again.
        var heard = watch.Heard;
        Execute(connection, "INSERT INTO outside VALUES (99);");
        await UntilAsync(() => watch.Heard > heard);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, Volatile.Read(ref wakes));
    }

    [Fact]
    public void A_store_without_a_file_is_not_watched()
    {
        using var watch = new StoreCommitWatch(Options.Create(new StoreOptions()), TimeProvider.System, NullLogger<StoreCommitWatch>.Instance);
        Assert.False(watch.Watching);
    }

    private async Task ReadAsync(SqliteConnection connection)
    {
        Execute(connection, "SELECT count(*) FROM sqlite_master;");
        await using var db = _store.NewContext();
        Assert.Empty(db.Tools);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < Patience, "not within the patience");
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }
    }
}
