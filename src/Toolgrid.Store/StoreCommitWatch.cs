using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Toolgrid.Store;

/// <summary>
/// Hears of commits to the store when they are made, by any process on this host, so that a loop
/// that would poll the store's commit counter (<see cref="StoreCommits"/>) can sleep until there is
/// something to read: a commit to SQLite writes the file's write-ahead log (a checkpoint, the file
/// itself), and the kernel tells of each write (inotify, through <see cref="FileSystemWatcher"/>).
/// </summary>
/// <remarks>
/// <para>A listener is told at most once per its own interval, and no later than that interval
/// after a write: a burst of commits makes one wake-up, as a poll at that interval would. What is
/// heard is a hint to look, not what changed: the loop still asks <see cref="StoreCommits"/>.</para>
/// <para>The kernel tells only of writes made on this host: a store on a network or cluster file
/// system (<see cref="StoreFileSystem"/>), which a proxy on another host may share, is not watched.
/// When the watch is not set up (no store file configured, such a file system, no inotify instance
/// left), <see cref="Watching"/> is false and the loops poll as they would without it.</para>
/// </remarks>
public sealed partial class StoreCommitWatch : IDisposable
{
    private readonly FileSystemWatcher? _watcher;
    private readonly string _sharedMemory = "";
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private Listener[] _listeners = [];
    private long _heard;

    public StoreCommitWatch(IOptions<StoreOptions> options, TimeProvider time, ILogger<StoreCommitWatch> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        if (options.Value.Path is not { Length: > 0 } path || Path.GetDirectoryName(Path.GetFullPath(path)) is not { } directory)
        {
            return;
        }

        var name = Path.GetFileName(path);
        _sharedMemory = name + "-shm";
        if (StoreFileSystem.TypeOf(directory) is { } type && StoreFileSystem.IsShared(type))
        {
            LogNotWatching(logger, directory, $"it is on {type}, whose writes by other hosts this host is not told of");
            return;
        }

        try
        {
            // Writes to the file, its -wal and -journal, not to its -shm, which readers write too;
            // not the -wal's creation, which opening a connection does.
            var watcher = new FileSystemWatcher(directory, name + "*")
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size,
                IncludeSubdirectories = false,
            };
            watcher.Changed += OnWritten;
            watcher.Error += (_, e) =>
            {
                // Events were lost (the kernel's queue overflowed): any of them may have been a commit.
                LogWatchError(logger, e.GetException());
                Tell();
            };
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            LogNotWatching(logger, directory, e.Message);
        }
    }

    /// <summary>Whether commits are heard of: when false, a loop must poll.</summary>
    public bool Watching => _watcher is not null;

    /// <summary>How many writes were heard of.</summary>
    internal long Heard => Interlocked.Read(ref _heard);

    /// <summary>The name of the file whose write was heard of last.</summary>
    internal string? LastHeard { get; private set; }

    /// <summary>
    /// Calls <paramref name="wake"/> (on a timer's thread) no later than <paramref name="within"/>
    /// after a commit, at most once per <paramref name="within"/>, until the result is disposed.
    /// </summary>
    public IDisposable Listen(TimeSpan within, Action wake)
    {
        var listener = new Listener(this, within, wake);
        lock (_gate)
        {
            _listeners = [.. _listeners, listener];
        }

        return listener;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            listener.Dispose();
        }
    }

    private void OnWritten(object sender, FileSystemEventArgs e)
    {
        if (!string.Equals(e.Name, _sharedMemory, StringComparison.Ordinal))
        {
            LastHeard = e.Name;
            Tell();
        }
    }

    private void Tell()
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            listener.Heard();
        }

        // Counted once the listeners are told: a test that sees the count knows their timers are set.
        Interlocked.Increment(ref _heard);
    }

    private void Remove(Listener listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners.Where(l => l != listener)];
        }
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Not watching the store's directory {Directory} for commits ({Reason}); the loops that read the store poll it instead")]
    private static partial void LogNotWatching(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "The watch of the store's commits lost events; the loops read the store again")]
    private static partial void LogWatchError(ILogger logger, Exception exception);

    /// <summary>One listener: a write arms its timer unless armed; the timer disarms it, then wakes.</summary>
    private sealed class Listener : IDisposable
    {
        private readonly StoreCommitWatch _watch;
        private readonly TimeSpan _within;
        private readonly ITimer _timer;
        private int _armed;

        public Listener(StoreCommitWatch watch, TimeSpan within, Action wake)
        {
            _watch = watch;
            _within = within;
            _timer = watch._time.CreateTimer(
                _ =>
                {
                    Volatile.Write(ref _armed, 0);
                    wake();
                },
                null,
                Timeout.InfiniteTimeSpan,
                Timeout.InfiniteTimeSpan);
        }

        public void Heard()
        {
            if (Interlocked.Exchange(ref _armed, 1) == 0)
            {
                _timer.Change(_within, Timeout.InfiniteTimeSpan);
            }
        }

        public void Dispose()
        {
            _watch.Remove(this);
            _timer.Dispose();
        }
    }
}
