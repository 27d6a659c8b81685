using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Backends;

namespace Toolgrid.Controller;

/// <summary>Follows the backend's reports and has them recorded, in batches so that a burst of ends costs one write.</summary>
public sealed partial class BackendWatch(
    IBackend backend,
    RunRecorder recorder,
    IOptions<ControllerOptions> options,
    TimeProvider time,
    ILogger<BackendWatch> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reports = Channel.CreateUnbounded<BackendRunReport>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var pump = PumpAsync(reports.Writer, stoppingToken);
        var batch = new List<BackendRunReport>(MaxBatch);
        try
        {
            while (await reports.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && reports.Reader.TryRead(out var report))
                {
                    batch.Add(report);
                }

                try
                {
                    await recorder.RecordAsync(batch, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Nothing is lost: the reconciler finds these runs again from the backend.
                    LogRecordFailed(e, batch.Count);
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await pump;
    }

    private async Task PumpAsync(ChannelWriter<BackendRunReport> writer, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var report in backend.WatchAsync(stoppingToken))
                {
                    writer.TryWrite(report);
                }

                // The stream ended without an error: subscribe again, but not in a tight loop.
                await Task.Delay(options.Value.TickInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogWatchFailed(e);
                try
                {
                    await Task.Delay(options.Value.TickInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        writer.TryComplete();
    }

    [LoggerMessage(EventId = 2300, Level = LogLevel.Error, Message = "Recording {Count} backend report(s) failed; the reconciler will catch up")]
    private partial void LogRecordFailed(Exception exception, int count);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Error, Message = "Watching the backend failed; watching again")]
    private partial void LogWatchFailed(Exception exception);
}
