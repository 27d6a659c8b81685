using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Toolgrid.Backends.Local.Health;
using Toolgrid.Backends.Local.Protocol;

namespace Toolgrid.Backends.Local.Watching;

/// <summary>
/// Watches the runs once someone watches the backend: a run is inspected when its shepherd notifies
/// (<see cref="NotifyListener"/>) and when its shepherd exits (<paramref name="shepherdExits"/>,
/// the shepherds <see cref="RunInspector"/> watches), and every run, with the orphan sweep, at each
/// rescan, for what neither brought; what changed goes to the <see cref="ReportFeed"/>.
/// </summary>
/// <remarks>
/// A rescan reads the files of every run but those seen running with their shepherds watched
/// (<see cref="RunInspector.IsWatchedRunning"/>): such a run changes only when its shepherd exits
/// or notifies, each of which brings it to be read at once. So a node with hundreds of runs that
/// only run reads next to nothing at a rescan.
/// </remarks>
internal sealed partial class RunWatcher(
    string notifySocketPath,
    ChannelReader<long> shepherdExits,
    TimeSpan rescanInterval,
    RunCatalog catalog,
    RunInspector inspector,
    OrphanSweep sweep,
    ReportFeed feed,
    HealthProber health,
    TimeProvider timeProvider,
    ILogger logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _watching;
    private NotifyListener? _listener;
    private bool _stopped;
    private long _rescans;
    private RescanRecord _lastRescan = new(0, new HashSet<long>());

    /// <summary>The last rescan that ended: its number (from 1) and the runs whose files it read.</summary>
    public RescanRecord LastRescan => Volatile.Read(ref _lastRescan);

    /// <summary>Starts listening and rescanning, the first time; false once the watcher is disposed.</summary>
    public bool EnsureStarted()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return false;
            }

            if (_watching is not null)
            {
                return true;
            }

            try
            {
                _listener = new NotifyListener(notifySocketPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
            {
                // Without notifications the rescans still see everything, only later.
                Log.NotifySocketFailed(logger, notifySocketPath, e);
            }

            var stopping = _stopping.Token;
            _watching = Task.WhenAll(
                _listener is null ? Task.CompletedTask : Task.Run(() => ListenAsync(_listener, stopping), stopping),
                Task.Run(() => ExitsAsync(stopping), stopping),
                Task.Run(() => RescanAsync(stopping), stopping));
            return true;
        }
    }

    /// <summary>Stops watching and waits for the loops to end. Runs are not touched.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? watching;
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            watching = _watching;
        }

        await _stopping.CancelAsync();
        if (watching is not null)
        {
            try
            {
                await watching;
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        _listener?.Dispose();
        _stopping.Dispose();
    }

    private async Task ListenAsync(NotifyListener listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (await listener.ReceiveAsync(stopping) is { } runId && await inspector.InspectAsync(runId, stopping) is { } report)
                {
                    feed.Publish(report);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.WatchFailed(logger, e);
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeProvider, stopping);
            }
        }
    }

    private async Task ExitsAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var runId in shepherdExits.ReadAllAsync(stopping))
            {
                try
                {
                    if (await inspector.InspectAsync(runId, stopping) is { } report)
                    {
                        feed.Publish(report);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.WatchFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task RescanAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(rescanInterval, timeProvider);
        do
        {
            try
            {
                var runIds = new HashSet<long>(catalog.RunIds());
                var read = new HashSet<long>();
                foreach (var runId in runIds.Where(id => !inspector.IsWatchedRunning(id)))
                {
                    read.Add(runId);
                    if (await inspector.InspectAsync(runId, stopping) is { } report)
                    {
                        feed.Publish(report);
                    }
                }

                foreach (var report in await sweep.SweepAsync(stopping))
                {
                    runIds.Add(report.RunId);
                    feed.Publish(report);
                }

                feed.Retain(runIds);
                health.Retain(runIds);
                inspector.Retain(runIds);
                Volatile.Write(ref _lastRescan, new RescanRecord(Interlocked.Increment(ref _rescans), read));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.WatchFailed(logger, e);
            }
        }
        while (await WaitForTickAsync(timer, stopping));
    }

    private static async Task<bool> WaitForTickAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
