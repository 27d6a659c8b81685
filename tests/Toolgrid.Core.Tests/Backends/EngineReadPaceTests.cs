using Microsoft.Extensions.Time.Testing;
using Toolgrid.Core.Backends;

namespace Toolgrid.Core.Tests.Backends;

/// <summary>The grid backends' next read of the engine: the interval, or sooner when the engine's file of ended jobs changes.</summary>
public sealed class EngineReadPaceTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("tg-pace-").FullName;
    private readonly FakeTimeProvider _time = new(Sample.Now);

    private string EndFile => Path.Combine(_directory, "accounting");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task An_end_written_to_the_file_is_read_before_the_interval_is_over()
    {
        await File.WriteAllTextAsync(EndFile, "1\n");
        using var pace = new EngineReadPace(EndFile, Interval, _time);
        pace.ReadBegins();
        _time.Advance(Interval / 2);

        var wait = pace.WaitAsync(CancellationToken.None);
        await File.AppendAllTextAsync(EndFile, "2\n");

        // The clock stays at half the interval: only the file's change can end the wait.
        Assert.Equal(EngineRead.Ends, await wait.WaitAsync(Patience));
        Assert.True(pace.Watching);
    }

    [Fact]
    public async Task Without_the_file_the_interval_alone_paces_the_reads()
    {
        using var pace = new EngineReadPace(Path.Combine(_directory, "no-such-directory", "accounting"), Interval, _time);
        pace.ReadBegins();

        var wait = pace.WaitAsync(CancellationToken.None);
        _time.Advance(Interval);

        Assert.Equal(EngineRead.Full, await wait.WaitAsync(Patience));
        Assert.False(pace.Watching);
    }

    [Fact]
    public async Task A_cancelled_wait_throws()
    {
        using var pace = new EngineReadPace(EndFile, Interval, _time);
        using var cancel = new CancellationTokenSource();
        var wait = pace.WaitAsync(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_read_of_the_files_new_lines_does_not_move_the_next_full_read()
    {
        await File.WriteAllTextAsync(EndFile, "1\n");
        using var pace = new EngineReadPace(EndFile, Interval, _time);
        pace.ReadBegins();
        var wait = pace.WaitAsync(CancellationToken.None);
        await File.AppendAllTextAsync(EndFile, "2\n");
        Assert.Equal(EngineRead.Ends, await wait.WaitAsync(Patience));
        pace.EndsReadBegins();
        _time.Advance(Interval / 4);

        var full = pace.WaitAsync(CancellationToken.None);
        _time.Advance(Interval * 3 / 4);

        // An interval after the full read began, not after the read of the file.
        Assert.Equal(EngineRead.Full, await full.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_change_while_the_backend_was_reading_brings_the_next_read_at_once()
    {
        await File.WriteAllTextAsync(EndFile, "1\n");
        using var pace = new EngineReadPace(EndFile, Interval, _time);
        pace.ReadBegins();
        await File.AppendAllTextAsync(EndFile, "2\n");

        // The clock does not move: only the change, seen before or during the wait, ends it.
        Assert.Equal(EngineRead.Ends, await pace.WaitAsync(CancellationToken.None).WaitAsync(Patience));
    }

    [Fact]
    public async Task An_overdue_full_read_comes_before_a_read_of_the_files_new_lines()
    {
        await File.WriteAllTextAsync(EndFile, "1\n");
        using var pace = new EngineReadPace(EndFile, Interval, _time);
        pace.ReadBegins();
        await File.AppendAllTextAsync(EndFile, "2\n");
        Assert.Equal(EngineRead.Ends, await pace.WaitAsync(CancellationToken.None).WaitAsync(Patience));

        // The change is not read yet, and the interval is over: a file that changes during every
        // read of its lines must not put the full read off.
        _time.Advance(Interval);

        Assert.Equal(EngineRead.Full, await pace.WaitAsync(CancellationToken.None).WaitAsync(Patience));
    }
}
