using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Supervision;
using Toolgrid.Store;

namespace Toolgrid.Controller;

/// <summary>Carries out the supervisor's and the reconciler's steps: records each in the store, then asks the backend.</summary>
public sealed partial class SupervisorSteps(
    IDbContextFactory<ToolgridDbContext> contexts,
    RunUpdates updates,
    RunRecorder recorder,
    RunStarts runStarts,
    ScheduleAdvances schedules,
    StoreUpkeep upkeep,
    Launches starts,
    DeferredStarts deferred,
    EngineDrainRetries engineRetries,
    IBackend backend,
    RunEvents events,
    SupervisorSignal signal,
    TimeProvider time,
    ILogger<SupervisorSteps> logger)
{
    public async Task ApplyAsync(IReadOnlyList<SupervisorAction> plan, CancellationToken cancellationToken)
    {
        var placements = plan.OfType<PlaceRun>().ToList();
        foreach (var action in plan)
        {
            switch (action)
            {
                case StopRun stop:
                    await StopAsync(stop, cancellationToken);
                    break;
                case RetryJob retry:
                    await RetryAsync(retry, cancellationToken);
                    break;
                case QueueRun queue:
                    await QueueAsync(queue, cancellationToken);
                    break;
                case PurgeJob purge:
                    await upkeep.PurgeAsync(purge, cancellationToken);
                    break;
                case DrainNode drain:
                    await DrainAsync(drain, cancellationToken);
                    break;
                case ResumeNode resume:
                    await ResumeAsync(resume, cancellationToken);
                    break;
            }
        }

        var advances = plan.OfType<AdvanceSchedule>().ToList();
        if (advances.Count > 0)
        {
            await schedules.ApplyAsync(advances, cancellationToken);
        }

        if (placements.Count > 0)
        {
            await runStarts.PlaceAsync(placements, cancellationToken);
        }

        if (plan.Count > 0)
        {
            events.Publish();
        }
    }

    public async Task ApplyAsync(IReadOnlyList<ReconcileAction> plan, CancellationToken cancellationToken)
    {
        var observed = plan.OfType<ObserveRun>().Select(o => o.Report).ToList();
        if (observed.Count > 0)
        {
            await recorder.RecordAsync(observed, cancellationToken);
        }

        foreach (var action in plan)
        {
            switch (action)
            {
                case ResumeStart resume:
                    LogResumingStart(resume.RunId);
                    await runStarts.StartAsync([resume.RunId], cancellationToken);
                    break;
                case MarkRunLost lost:
                    LogRunLost(lost.RunId, lost.Message);
                    await updates.UpdateAsync(lost.RunId, r => RunTransitions.MarkLost(r, lost.Reason, lost.Message, time.GetUtcNow()), cancellationToken);
                    break;
                case StopOrphan orphan:
                    LogStoppingOrphan(orphan.RunId);
                    await backend.StopAsync(orphan.RunId, StopOrphan.GracePeriod, cancellationToken);
                    break;
                case ForgetRun forget:
                    await backend.ForgetAsync(forget.RunId, cancellationToken);
                    break;
            }
        }

        if (plan.Count > 0)
        {
            events.Publish();
        }
    }

    private async Task StopAsync(StopRun stop, CancellationToken cancellationToken)
    {
        var run = await updates.UpdateAsync(stop.RunId, r => RunTransitions.RequestStop(r, stop.Reason, time.GetUtcNow()), cancellationToken);
        if (run is { State: RunState.Starting } && deferred.RunIds.Contains(run.Id) && !starts.InFlight.Contains(run.Id))
        {
            // Its start could not happen yet, so no backend has it: it ends now rather than at its next try.
            await runStarts.AbandonAsync(run.Id, stop.Reason, cancellationToken);
            return;
        }

        if (run is { IsActive: true })
        {
            LogStopping(run.Id, run.ToolName, run.JobName, stop.Reason);
            await backend.StopAsync(run.Id, stop.GracePeriod, cancellationToken);
        }
    }

    /// <summary>Drains the node in the backend, then records that the controller did (so that it undoes it when the drain is lifted).</summary>
    private async Task DrainAsync(DrainNode drain, CancellationToken cancellationToken)
    {
        // Recorded first: a controller that dies after the engine's drain still undoes it on resume.
        await upkeep.MarkEngineDrainedAsync(drain.Node, true, cancellationToken);
        if (!engineRetries.IsFailing(drain.Node, drain: true))
        {
            LogDraining(drain.Node, drain.Reason);
        }

        await EngineStepAsync(drain.Node, drain: true, c => backend.DrainAsync(drain.Node, drain.Reason, c), cancellationToken);
    }

    /// <summary>Undoes the backend's drain of a node whose drain an admin lifted.</summary>
    private async Task ResumeAsync(ResumeNode resume, CancellationToken cancellationToken)
    {
        if (!engineRetries.IsFailing(resume.Node, drain: false))
        {
            LogResuming(resume.Node);
        }

        if (await EngineStepAsync(resume.Node, drain: false, c => backend.ResumeAsync(resume.Node, c), cancellationToken))
        {
            await upkeep.MarkEngineDrainedAsync(resume.Node, false, cancellationToken);
        }
    }

    /// <summary>
    /// Asks the engine to drain or resume a node. A failure does not stop the rest of the plan: the
    /// step waits out its delay (<see cref="EngineDrainRetries"/>), and is logged once until it succeeds.
    /// </summary>
    private async Task<bool> EngineStepAsync(string node, bool drain, Func<CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        var what = drain ? "drain" : "resume";
        try
        {
            await step(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var (failures, next) = engineRetries.Failed(node, drain, e.Message, time.GetUtcNow());
            if (failures == 1)
            {
                LogEngineStepFailed(e, what, node, next);
            }

            return false;
        }

        if (engineRetries.Succeeded(node, drain) is var failed and > 0)
        {
            LogEngineStepRecovered(what, node, failed);
        }

        return true;
    }

    private async Task RetryAsync(RetryJob retry, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == retry.JobId && j.DeletedAt == null, cancellationToken);
        if (job is null)
        {
            return;
        }

        db.Runs.Add(NewRuns.Of(job, retry.Attempt, RunReason.Retry, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        LogRetrying(job.ToolName, job.Name, retry.Attempt, job.Retry + 1);
    }

    private async Task QueueAsync(QueueRun queue, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == queue.JobId && j.DeletedAt == null, cancellationToken);
        if (job is null)
        {
            return;
        }

        var last = await db.Runs.Where(r => r.JobId == job.Id).MaxAsync(r => (int?)r.Attempt, cancellationToken) ?? 0;
        db.Runs.Add(NewRuns.Of(job, NewRuns.Attempt(job.Kind, last), queue.Reason, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        signal.Wake();
    }

}
