using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Controller;

/// <summary>
/// The thin loop around the supervisor's decisions: read a snapshot, decide, apply; now and then
/// reconcile the store with the backend. Runs in exactly one controller.
/// </summary>
public sealed partial class SupervisorLoop(
    IBackend backend,
    SnapshotReader reader,
    SupervisorSteps steps,
    RunStarts runStarts,
    StoreUpkeep upkeep,
    SupervisorSignal signal,
    Launches starts,
    DeferredStarts deferred,
    IOptions<ControllerOptions> options,
    TimeProvider time,
    ILogger<SupervisorLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastReconcile = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            // The reconcile and the pass fail separately: a reconcile that keeps failing must
            // neither keep queued runs from starting nor be tried again at every tick.
            var now = time.GetUtcNow();
            if (now - lastReconcile >= options.Value.ReconcileInterval)
            {
                lastReconcile = now;
                await TryAsync(ReconcileAsync, stoppingToken);
            }

            await TryAsync(StepAsync, stoppingToken);

            try
            {
                await signal.WaitAsync(options.Value.TickInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // Starts under way are short: let them finish, so that their runs are not left for the
        // next controller to resume.
        await starts.DrainAsync();
    }

    private async Task TryAsync(Func<CancellationToken, Task> step, CancellationToken stoppingToken)
    {
        try
        {
            await step(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogStepFailed(e);
        }
    }

    /// <summary>One pass: decide from the current snapshot and apply the plan.</summary>
    public async Task StepAsync(CancellationToken cancellationToken)
    {
        var nodes = await backend.GetNodesAsync(cancellationToken);
        var snapshot = await reader.ReadAsync(nodes, backend.PlacesRuns, cancellationToken);
        var plan = Supervisor.Decide(snapshot, time.GetUtcNow());
        if (plan.Count > 0)
        {
            await steps.ApplyAsync(plan, cancellationToken);
        }

        await runStarts.RetryDeferredAsync(cancellationToken);
    }

    /// <summary>Compares the store with the backend and makes them agree (at start, and every so often).</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        // Starts under way first, then the backend, then the store: see Reconciler's remarks. A
        // start that could not happen yet is under way too: it is tried again at its own time.
        var launching = starts.InFlight.Union(deferred.RunIds).ToHashSet();
        var seen = await backend.ListAsync(cancellationToken);
        var active = await reader.ActiveRunsAsync(cancellationToken);
        var plan = Reconciler.Decide(active, seen, launching);
        if (plan.Count > 0)
        {
            LogReconciling(plan.Count);
            await steps.ApplyAsync(plan, cancellationToken);
        }

        await upkeep.RecordNodesAsync(await backend.GetNodesAsync(cancellationToken), cancellationToken);
        await upkeep.TrimHistoryAsync(options.Value.RunHistory, cancellationToken);
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Error, Message = "A supervisor step failed; trying again at the next tick")]
    private partial void LogStepFailed(Exception exception);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Reconciling the store with the backend: {Steps} step(s)")]
    private partial void LogReconciling(int steps);
}
