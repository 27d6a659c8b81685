using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Nodes;
using Toolgrid.Core.Supervision;
using Toolgrid.Store;

namespace Toolgrid.Controller;

/// <summary>
/// The thin loop around the supervisor's decisions: read a snapshot, decide, apply; now and then
/// reconcile the store with the backend. Runs in exactly one controller.
/// </summary>
/// <remarks>
/// A pass is made when it may find something to do: when woken (a job submitted, a run ended),
/// when anything was committed to the store since the last tick (<see cref="StoreCommits"/>: also
/// another process's writes), when the last pass planned steps, or when the time its snapshot
/// said a step falls due has come (<see cref="NextLook"/>: a due time, a backoff); and at least
/// every <see cref="ControllerOptions.IdleInterval"/>. Otherwise a tick costs one query of the
/// store's commit counter, so that a controller with thousands of jobs that only wait is idle.
/// Where the store's commits are heard of as they are made (<see cref="StoreCommitWatch"/>), there
/// is no tick to make in between: the loop sleeps until it is woken, a commit is heard of (at most
/// one pass per <see cref="ControllerOptions.TickInterval"/> for those), or the next reconcile, pass
/// or deferred start is due.
/// </remarks>
public sealed partial class SupervisorLoop(
    IBackend backend,
    SnapshotReader reader,
    ReconcileReads reconcileReads,
    SupervisorSteps steps,
    RunStarts runStarts,
    StoreUpkeep upkeep,
    SupervisorSignal signal,
    StoreCommits commits,
    StoreCommitWatch watch,
    Launches starts,
    DeferredStarts deferred,
    EngineDrainRetries engineRetries,
    IOptions<ControllerOptions> options,
    TimeProvider time,
    ILogger<SupervisorLoop> logger) : BackgroundService
{
    // The nodes of the last read that succeeded, and when it was made; the nodes last recorded in the store.
    private IReadOnlyList<NodeCapacity>? _lastNodes;
    private DateTimeOffset? _lastNodesAt;
    private IReadOnlyList<NodeCapacity>? _recordedNodes;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastReconcile = DateTimeOffset.MinValue;
        var nextPass = DateTimeOffset.MinValue;
        var woken = true;
        using var listening = watch.Watching ? watch.Listen(options.Value.TickInterval, signal.Wake) : null;
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

            // Asked first, so that a commit made during the pass is seen at the next tick.
            var changed = await TryAsync(commits.SinceLastAskedAsync, true, stoppingToken);
            if (woken || changed || now >= nextPass)
            {
                nextPass = await TryAsync(StepAsync, now, stoppingToken);
            }
            else
            {
                await TryAsync(runStarts.RetryDeferredAsync, stoppingToken);
            }

            try
            {
                var wait = listening is null ? options.Value.TickInterval : Sleep(lastReconcile, nextPass);
                woken = await signal.WaitAsync(wait, time, stoppingToken);
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

    /// <summary>
    /// How long a loop that hears of commits sleeps unless woken: until the next reconcile, pass or
    /// deferred start is due, at least a tick (as a loop that ticks would see them) and at most
    /// <see cref="ControllerOptions.IdleInterval"/>.
    /// </summary>
    private TimeSpan Sleep(DateTimeOffset lastReconcile, DateTimeOffset nextPass)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var due = now + settings.IdleInterval;
        if (lastReconcile + settings.ReconcileInterval < due)
        {
            due = lastReconcile + settings.ReconcileInterval;
        }

        if (nextPass < due)
        {
            due = nextPass;
        }

        if (deferred.NextTry is { } retry && retry < due)
        {
            due = retry;
        }

        return due - now < settings.TickInterval ? settings.TickInterval : due - now;
    }

    private async Task TryAsync(Func<CancellationToken, Task> step, CancellationToken stoppingToken) =>
        await TryAsync(async c => { await step(c); return true; }, true, stoppingToken);

    /// <summary>Runs <paramref name="step"/>, logging a failure, after which <paramref name="failed"/> is its answer.</summary>
    private async Task<T> TryAsync<T>(Func<CancellationToken, Task<T>> step, T failed, CancellationToken stoppingToken)
    {
        try
        {
            return await step(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogStepFailed(e);
            return failed;
        }
    }

    /// <summary>
    /// One pass: decide from the current snapshot and apply the plan. Returns when the next pass
    /// is due though nothing changes: at once after a plan (its steps change what the next pass
    /// reads), else when the snapshot says (<see cref="NextLook"/>) or an engine's drain that failed
    /// is tried again (<see cref="EngineDrainRetries"/>), at most <see cref="ControllerOptions.IdleInterval"/> away.
    /// </summary>
    /// <remarks>
    /// The nodes are read again only when the pass decides something from them
    /// (<see cref="NodeReads"/>): for an engine that places runs, a pass woken by a submit to the
    /// <c>default</c> queue hands the run to the engine without first asking its master for nodes.
    /// </remarks>
    public async Task<DateTimeOffset> StepAsync(CancellationToken cancellationToken)
    {
        var snapshot = await reader.ReadAsync(_lastNodes ?? [], backend.PlacesRuns, cancellationToken);
        if (NodeReads.Needed(snapshot, _lastNodesAt, time.GetUtcNow(), options.Value.ReconcileInterval))
        {
            snapshot = snapshot with { Nodes = await NodesAsync(cancellationToken) };
            await RecordNodesIfChangedAsync(snapshot.Nodes, cancellationToken);
        }

        var now = time.GetUtcNow();
        var plan = engineRetries.Due(Supervisor.Decide(snapshot, now), now);
        if (plan.Count > 0)
        {
            await steps.ApplyAsync(plan, cancellationToken);
        }

        await runStarts.RetryDeferredAsync(cancellationToken);
        var next = now + options.Value.IdleInterval;
        if (NextLook.At(snapshot, now) is { } due && due < next)
        {
            next = due;
        }

        if (engineRetries.NextTry is { } retry && retry < next)
        {
            next = retry;
        }

        return plan.Count > 0 ? now : next;
    }

    /// <summary>Compares the store with the backend and makes them agree (at start, and every so often).</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        // Starts under way first, then the backend, then the store: see Reconciler's remarks. A
        // start that could not happen yet is under way too: it is tried again at its own time.
        var launching = starts.InFlight.Union(deferred.RunIds).ToHashSet();
        var seen = await backend.ListAsync(cancellationToken);
        var active = await reconcileReads.ActiveRunsAsync(cancellationToken);
        var plan = Reconciler.Decide(active, seen, launching);
        if (plan.Count > 0)
        {
            LogReconciling(plan.Count);
            await steps.ApplyAsync(plan, cancellationToken);
        }

        var nodes = await backend.GetNodesAsync(cancellationToken);
        NodesRead(nodes);
        await upkeep.RecordNodesAsync(nodes, cancellationToken);
        _recordedNodes = nodes;
        await upkeep.TrimHistoryIfDueAsync(RunHistoryRule.Of(options.Value), cancellationToken);
    }

    /// <summary>
    /// The backend's nodes; for an engine that places runs and does not answer now, those it last
    /// gave: its runs are handed to it all the same, and its start says that it waits for the grid
    /// (<see cref="Core.Backends.StartDeferredException"/>), where a run left queued would say nothing.
    /// </summary>
    private async Task<IReadOnlyList<NodeCapacity>> NodesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var nodes = await backend.GetNodesAsync(cancellationToken);
            NodesRead(nodes);
            return nodes;
        }
        catch (Exception e) when (backend.PlacesRuns && _lastNodes is not null && !cancellationToken.IsCancellationRequested)
        {
            LogNodesUnread(e);
            return _lastNodes;
        }
    }

    private void NodesRead(IReadOnlyList<NodeCapacity> nodes)
    {
        _lastNodes = nodes;
        _lastNodesAt = time.GetUtcNow();
    }

    /// <summary>
    /// Records <paramref name="nodes"/> when they differ from those last recorded, so that
    /// <c>toolgrid nodes list</c> shows a node drained, down or back as soon as a pass reads it,
    /// not at the next reconcile.
    /// </summary>
    private async Task RecordNodesIfChangedAsync(IReadOnlyList<NodeCapacity> nodes, CancellationToken cancellationToken)
    {
        if (_recordedNodes is { } recorded && NodeSighting.SameRecord(recorded, nodes))
        {
            return;
        }

        await upkeep.RecordNodesAsync(nodes, cancellationToken);
        _recordedNodes = nodes;
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Reading the engine's nodes failed; this pass uses the nodes it last gave")]
    private partial void LogNodesUnread(Exception exception);

    [LoggerMessage(EventId = 2000, Level = LogLevel.Error, Message = "A supervisor step failed; trying again at the next tick")]
    private partial void LogStepFailed(Exception exception);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Reconciling the store with the backend: {Steps} step(s)")]
    private partial void LogReconciling(int steps);
}
