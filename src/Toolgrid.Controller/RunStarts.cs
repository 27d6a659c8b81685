using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Supervision;
using Toolgrid.Store;

namespace Toolgrid.Controller;

/// <summary>
/// Starts runs: records each placed run as starting, then hands it to the backend in the
/// background; a start that cannot happen yet waits (<see cref="DeferredStarts"/>), one no
/// longer wanted is abandoned (<see cref="StartCheck"/>).
/// </summary>
public sealed partial class RunStarts(
    IDbContextFactory<ToolgridDbContext> contexts,
    RunUpdates updates,
    LaunchFactory launches,
    Launches starts,
    DeferredStarts deferred,
    IBackend backend,
    RunEvents events,
    TimeProvider time,
    ILogger<RunStarts> logger)
{
    /// <summary>Tries again the starts that could not happen yet whose delay is over.</summary>
    public Task RetryDeferredAsync(CancellationToken cancellationToken) =>
        StartAsync([.. deferred.Due(time.GetUtcNow())], cancellationToken);

    /// <summary>Records each placed run as starting on its node, then begins its start.</summary>
    public async Task PlaceAsync(IReadOnlyList<PlaceRun> placements, CancellationToken cancellationToken)
    {
        var placeOf = placements.ToDictionary(p => p.RunId);
        var now = time.GetUtcNow();

        // At-most-once start, step one: the run is recorded as starting on its node before any
        // backend hears of it. A controller that dies after this finds it starting and asks the
        // backend, which knows whether it took it (and never starts a run id twice).
        var placed = await updates.UpdateAsync(placeOf.Keys, r => RunTransitions.Place(r, placeOf[r.Id].Node, now, placeOf[r.Id].Port, placeOf[r.Id].Queue), cancellationToken);
        await StartAsync(placed.Select(r => r.Id).ToList(), cancellationToken);
    }

    /// <summary>
    /// Begins the start of each run (in the background, see <see cref="Launches"/>). Returns once
    /// the starts are under way, not done.
    /// </summary>
    public async Task StartAsync(IReadOnlyList<long> runIds, CancellationToken cancellationToken)
    {
        if (runIds.Count == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var runs = await db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id) && r.State == RunState.Starting).ToListAsync(cancellationToken);
        foreach (var gone in runIds.Except(runs.Select(r => r.Id)))
        {
            // Started, ended or forgotten meanwhile: no start of it waits any more.
            deferred.Remove(gone);
        }
        var jobIds = runs.Select(r => r.JobId).Distinct().ToList();
        var jobs = await db.Jobs.AsNoTracking().Where(j => jobIds.Contains(j.Id)).ToDictionaryAsync(j => j.Id, cancellationToken);
        var toolNames = jobs.Values.Select(j => j.ToolName).Distinct().ToList();
        var tools = await db.Tools.AsNoTracking().Where(t => toolNames.Contains(t.Name)).ToDictionaryAsync(t => t.Name, StringComparer.Ordinal, cancellationToken);

        foreach (var run in runs)
        {
            var job = jobs.GetValueOrDefault(run.JobId);
            var tool = job is null ? null : tools.GetValueOrDefault(job.ToolName);
            starts.TryBegin(run.Id, token => LaunchAsync(run, job, tool, token), cancellationToken);
        }
    }

    private async Task LaunchAsync(Run run, Job? job, Core.Tools.Tool? tool, CancellationToken cancellationToken)
    {
        var check = StartCheck.Decide(run, job, tool);
        if (check.Abandon is { } reason)
        {
            await AbandonAsync(run.Id, reason, cancellationToken);
            return;
        }

        var failure = check.Failure;
        if (check.ShouldLaunch && job is not null && tool is not null)
        {
            try
            {
                await backend.StartAsync(launches.Create(run, job, tool), cancellationToken);
                deferred.Remove(run.Id);
            }
            catch (StartDeferredException e) when (!cancellationToken.IsCancellationRequested)
            {
                await DeferAsync(run, e.Message, cancellationToken);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && DiskFull.Is(e))
            {
                // Nothing was started for lack of space: a start failure that passes once space is freed.
                await DeferAsync(run, $"a disk of node {run.Node} is full ({e.Message})", cancellationToken);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogStartFailed(e, run.Id, run.ToolName, run.JobName);
                failure = $"the {backend.Name} backend could not start it: {e.Message}";
            }
        }

        if (failure is not null)
        {
            deferred.Remove(run.Id);
            await updates.UpdateAsync(run.Id, r => RunTransitions.FailStart(r, failure, time.GetUtcNow()), cancellationToken);
            events.Publish();
        }
    }

    /// <summary>The run stays starting, with why in its message, and is tried again after its delay (<see cref="StartRetry"/>).</summary>
    private async Task DeferAsync(Run run, string why, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var next = deferred.Defer(run.Id, why, now);
        LogStartDeferred(run.Id, run.ToolName, run.JobName, why, next);
        try
        {
            await updates.UpdateAsync(run.Id, r => RunTransitions.DeferStart(r, StartRetry.Message(why, next), now), cancellationToken);
            events.Publish();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            // The same full disk may hold the store: the retry does not depend on this record.
            LogDeferralNotRecorded(e, run.Id);
        }
    }

    /// <summary>A starting run that no backend took is no longer wanted: it ends here, never started.</summary>
    public async Task AbandonAsync(long runId, RunReason reason, CancellationToken cancellationToken)
    {
        deferred.Remove(runId);
        await updates.UpdateAsync(runId, r => RunTransitions.AbandonStart(r, reason, time.GetUtcNow()), cancellationToken);
        events.Publish();
    }
}
