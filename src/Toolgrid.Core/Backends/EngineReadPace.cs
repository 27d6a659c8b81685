namespace Toolgrid.Core.Backends;

/// <summary>
/// When a grid backend reads its engine next: <c>PollInterval</c> after its last read, or sooner
/// when the file the engine appends each ended job to (SGE's accounting file, Slurm's jobcomp
/// file) changes, so that an end reaches the store when the engine writes it, not at the next tick.
/// </summary>
/// <remarks>
/// An early read comes no sooner than half a <c>PollInterval</c> after the previous one began:
/// while jobs end faster than that, the engine is read at most about twice as often as with the
/// interval alone, not once per end. The periodic read stays, as the catch-up for whatever the
/// file does not show (starts, a file on a network filesystem whose writes inotify does not see,
/// a cluster whose engine writes no such file). A file that is not there yet is watched from its
/// directory; with no directory, no file configured, or no inotify watch to be had, only the interval is kept.
/// </remarks>
public sealed class EngineReadPace : IDisposable
{
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly FileSystemWatcher? _watcher;
    private TaskCompletionSource _changed = NewSignal();
    private long _readBegan;

    /// <param name="endFile">The engine's file of ended jobs; null when it has none this host can read.</param>
    /// <param name="interval">The backend's <c>PollInterval</c>.</param>
    /// <param name="time">The clock the waits use.</param>
    public EngineReadPace(string? endFile, TimeSpan interval, TimeProvider time)
    {
        _interval = interval;
        _time = time;
        _readBegan = time.GetTimestamp();
        if (endFile is null || Path.GetDirectoryName(endFile) is not { Length: > 0 } directory || !Directory.Exists(directory))
        {
            return;
        }

        var watcher = new FileSystemWatcher(directory, Path.GetFileName(endFile))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName,
        };
        watcher.Changed += (_, _) => Changed();
        watcher.Created += (_, _) => Changed();
        watcher.Renamed += (_, _) => Changed();
        try
        {
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
        }
        catch (IOException)
        {
            // Out of inotify instances or watches (fs.inotify.max_user_instances): the interval alone, as without a file.
            watcher.Dispose();
        }
    }

    /// <summary>Whether changes of the file are watched (false: the interval alone).</summary>
    public bool Watching => _watcher is not null;

    /// <summary>A read of the engine begins: what the file showed until now is in it.</summary>
    public void ReadBegins()
    {
        _readBegan = _time.GetTimestamp();
        Interlocked.Exchange(ref _changed, NewSignal());
    }

    /// <summary>Waits until the next read is due: the interval, or the file changed (since the last read began) and half the interval has passed since then.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        using var waits = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var periodic = Task.Delay(_interval, _time, waits.Token);
        try
        {
            if (await Task.WhenAny(periodic, Volatile.Read(ref _changed).Task) != periodic)
            {
                var floor = _interval / 2 - _time.GetElapsedTime(_readBegan);
                if (floor > TimeSpan.Zero)
                {
                    await Task.WhenAny(periodic, Task.Delay(floor, _time, waits.Token));
                }
            }
        }
        finally
        {
            await waits.CancelAsync();
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    public void Dispose() => _watcher?.Dispose();

    private void Changed() => Volatile.Read(ref _changed).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
