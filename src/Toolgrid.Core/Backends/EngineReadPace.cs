namespace Toolgrid.Core.Backends;

/// <summary>
/// When a grid backend reads its engine next, and how: the whole list of jobs
/// (<see cref="EngineRead.Full"/>) <c>PollInterval</c> after its last such read began, and the new
/// lines of the file the engine appends each ended job to (SGE's accounting file, Slurm's jobcomp
/// file; <see cref="EngineRead.Ends"/>) as soon as that file changes, so that an end reaches the
/// store when the engine writes it, not at the next tick.
/// </summary>
/// <remarks>
/// A read of the file's new lines is a file read, not a process: it costs next to nothing, and an
/// end costs no read of the engine's list of its own. The periodic read stays, as the catch-up for
/// whatever the file does not show (starts, a file on a network filesystem whose writes inotify
/// does not see, a cluster whose engine writes no such file); reads of the file do not move it.
/// A file that is not there yet is watched from its directory; with no directory, no file
/// configured, or no inotify watch to be had, only the interval is kept.
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

    /// <summary>A full read of the engine begins: what the file showed until now is in it, and the next full read is an interval from now.</summary>
    public void ReadBegins()
    {
        _readBegan = _time.GetTimestamp();
        EndsReadBegins();
    }

    /// <summary>A read of the file's new lines begins: what it showed until now is in it.</summary>
    public void EndsReadBegins() => Interlocked.Exchange(ref _changed, NewSignal());

    /// <summary>Waits until the next read is due: <see cref="EngineRead.Full"/> an interval after the last full read began, <see cref="EngineRead.Ends"/> as soon as the file changed since the last read of either kind began.</summary>
    public async Task<EngineRead> WaitAsync(CancellationToken cancellationToken)
    {
        var left = _interval - _time.GetElapsedTime(_readBegan);
        if (left <= TimeSpan.Zero)
        {
            // An overdue full read comes first, or a file that changes during every read of its
            // ends (an accounting file every user's jobs write) would put it off for ever.
            return EngineRead.Full;
        }

        var changed = Volatile.Read(ref _changed).Task;
        if (changed.IsCompleted)
        {
            return EngineRead.Ends;
        }

        using var waits = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var periodic = Task.Delay(left, _time, waits.Token);
        try
        {
            var first = await Task.WhenAny(periodic, changed);
            cancellationToken.ThrowIfCancellationRequested();
            return first == changed ? EngineRead.Ends : EngineRead.Full;
        }
        finally
        {
            await waits.CancelAsync();
        }
    }

    public void Dispose() => _watcher?.Dispose();
    private void Changed() => Volatile.Read(ref _changed).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
