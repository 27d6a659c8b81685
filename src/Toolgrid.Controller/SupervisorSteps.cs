using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Nodes;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Scheduling;
using Toolgrid.Core.Supervision;
using Toolgrid.Store;

namespace Toolgrid.Controller;

/// <summary>Carries out the supervisor's and the reconciler's steps: records each in the store, then asks the backend.</summary>
public sealed partial class SupervisorSteps(
    IDbContextFactory<ToolgridDbContext> contexts,
    RunUpdates updates,
    RunRecorder recorder,
    LaunchFactory launches,
    Launches starts,
    DeferredStarts deferred,
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
                    await PurgeAsync(purge, cancellationToken);
                    break;
            }
        }

        var schedules = plan.OfType<AdvanceSchedule>().ToList();
        if (schedules.Count > 0)
        {
            await AdvanceSchedulesAsync(schedules, cancellationToken);
        }

        if (placements.Count > 0)
        {
            await PlaceAsync(placements, cancellationToken);
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
                    await StartAsync([resume.RunId], cancellationToken);
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

    /// <summary>Tries again the starts that could not happen yet whose delay is over.</summary>
    public Task RetryDeferredStartsAsync(CancellationToken cancellationToken) =>
        StartAsync([.. deferred.Due(time.GetUtcNow())], cancellationToken);

    /// <summary>Records the nodes the backend reports, for <c>toolgrid status</c>.</summary>
    public async Task RecordNodesAsync(IReadOnlyList<NodeCapacity> nodes, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var names = nodes.Select(n => n.Name).ToList();
        var known = await db.Nodes.Where(n => names.Contains(n.Name)).ToDictionaryAsync(n => n.Name, StringComparer.Ordinal, cancellationToken);
        foreach (var seen in nodes)
        {
            if (!known.TryGetValue(seen.Name, out var node))
            {
                node = new Node { Name = seen.Name, Backend = backend.Name };
                db.Nodes.Add(node);
            }

            node.State = seen.Up ? NodeState.Up : NodeState.Down;
            node.Queues = string.Join(',', seen.Queues);
            node.MemoryBytes = seen.MemoryBytes;
            node.CpuMillis = seen.CpuMillis;
            node.HostMemoryBytes = seen.HostMemoryBytes;
            node.HostCpuMillis = seen.HostCpuMillis;
            node.Slots = seen.Slots;
            node.LastSeenAt = now;
        }

        // A node the backend no longer reports is down, not silently "up" forever.
        var gone = await db.Nodes.Where(n => n.Backend == backend.Name && !names.Contains(n.Name) && n.State != NodeState.Down).ToListAsync(cancellationToken);
        foreach (var node in gone)
        {
            node.State = NodeState.Down;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task PlaceAsync(List<PlaceRun> placements, CancellationToken cancellationToken)
    {
        var placeOf = placements.ToDictionary(p => p.RunId);
        var now = time.GetUtcNow();

        // At-most-once start, step one: the run is recorded as starting on its node before any
        // backend hears of it. A controller that dies after this finds it starting and asks the
        // backend, which knows whether it took it (and never starts a run id twice).
        var placed = await updates.UpdateAsync(placeOf.Keys, r => RunTransitions.Place(r, placeOf[r.Id].Node, now, placeOf[r.Id].Port), cancellationToken);
        await StartAsync(placed.Select(r => r.Id).ToList(), cancellationToken);
    }

    /// <summary>
    /// Begins the start of each run (in the background, see <see cref="Launches"/>). Returns once
    /// the starts are under way, not done.
    /// </summary>
    private async Task StartAsync(List<long> runIds, CancellationToken cancellationToken)
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
        string? failure = null;
        if (job is null || tool is null)
        {
            failure = "its job or tool no longer exists";
        }
        else if (job.DeletedAt is not null || !tool.IsActive || run.StopReason is not null)
        {
            // A start resumed (after a restart, or after it could not happen yet) for a run nobody wants any more.
            var reason = run.StopReason ?? (tool.IsActive ? RunReason.JobDeleted : RunReason.ToolDeleted);
            await AbandonAsync(run.Id, reason, cancellationToken);
            return;
        }
        else
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
    private async Task AbandonAsync(long runId, RunReason reason, CancellationToken cancellationToken)
    {
        deferred.Remove(runId);
        await updates.UpdateAsync(runId, r => RunTransitions.AbandonStart(r, reason, time.GetUtcNow()), cancellationToken);
        events.Publish();
    }

    private async Task StopAsync(StopRun stop, CancellationToken cancellationToken)
    {
        var run = await updates.UpdateAsync(stop.RunId, r => RunTransitions.RequestStop(r, stop.Reason, time.GetUtcNow()), cancellationToken);
        if (run is { State: RunState.Starting } && deferred.RunIds.Contains(run.Id) && !starts.InFlight.Contains(run.Id))
        {
            // Its start could not happen yet, so no backend has it: it ends now rather than at its next try.
            await AbandonAsync(run.Id, stop.Reason, cancellationToken);
            return;
        }

        if (run is { IsActive: true })
        {
            LogStopping(run.Id, run.ToolName, run.JobName, stop.Reason);
            await backend.StopAsync(run.Id, stop.GracePeriod, cancellationToken);
        }
    }

    private async Task RetryAsync(RetryJob retry, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == retry.JobId && j.DeletedAt == null, cancellationToken);
        if (job is null)
        {
            return;
        }

        db.Runs.Add(NewRun(job, retry.Attempt, RunReason.Retry, time.GetUtcNow()));
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

        // Runs of a job are numbered: the first, the second restart… (shown as "attempt").
        var last = await db.Runs.Where(r => r.JobId == job.Id).MaxAsync(r => (int?)r.Attempt, cancellationToken) ?? 0;
        db.Runs.Add(NewRun(job, job.Kind == JobKind.OneOff ? 1 : last + 1, queue.Reason, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        signal.Wake();
    }

    /// <summary>
    /// Records scheduled jobs' handled due times and their steps, checking each job's version: a
    /// due time is handled exactly once, however often the controller restarts or two passes race.
    /// All of a pass's jobs go in one transaction (a thousand jobs due on the same minute are one
    /// write, not a thousand); should one of them have changed meanwhile, each is tried on its own.
    /// </summary>
    private async Task AdvanceSchedulesAsync(List<AdvanceSchedule> advances, CancellationToken cancellationToken)
    {
        try
        {
            await AdvanceAsync(advances, cancellationToken);
        }
        catch (DbUpdateConcurrencyException) when (advances.Count > 1)
        {
            foreach (var advance in advances)
            {
                try
                {
                    await AdvanceAsync([advance], cancellationToken);
                }
                catch (DbUpdateConcurrencyException)
                {
                    // That job changed since the snapshot: the next pass decides again.
                }
            }
        }
        catch (DbUpdateConcurrencyException)
        {
        }
    }

    private async Task AdvanceAsync(List<AdvanceSchedule> advances, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = advances.Select(a => a.JobId).ToList();
        var jobs = await db.Jobs.Where(j => ids.Contains(j.Id) && j.DeletedAt == null).ToDictionaryAsync(j => j.Id, cancellationToken);
        var now = time.GetUtcNow();
        var stops = new List<(Run Run, TimeSpan Grace)>();
        foreach (var advance in advances)
        {
            // A job that changed since the snapshot is left to the next pass, which decides again.
            if (!jobs.TryGetValue(advance.JobId, out var job) || job.Version != advance.JobVersion)
            {
                continue;
            }

            if (advance.LastDueAt is { } lastDue)
            {
                job.LastDueAt = lastDue;
            }

            job.Version++;
            foreach (var step in advance.Steps)
            {
                switch (step)
                {
                    case StartDue start:
                        var run = NewRun(job, 1, start.Reason, now);
                        run.DueAt = start.DueAt;

                        // Ahead of its due time: set up now, its command held until then.
                        run.NotBefore = start.DueAt > now ? start.DueAt : null;
                        db.Runs.Add(run);
                        LogDue(job.ToolName, job.Name, start.DueAt, start.Reason);
                        break;
                    case SkipDue skip:
                        var skipped = NewRun(job, 1, RunReason.Scheduled, now);
                        skipped.DueAt = skip.DueAt;
                        RunTransitions.Skip(skipped, skip.Reason, skip.Message, now);
                        db.Runs.Add(skipped);
                        LogSkipped(job.ToolName, job.Name, skip.DueAt, skip.Message);
                        break;
                    case ReplaceRun replace:
                        if (await db.Runs.FirstOrDefaultAsync(r => r.Id == replace.RunId, cancellationToken) is { } victim
                            && RunTransitions.RequestStop(victim, RunReason.Replaced, now) && victim.IsActive)
                        {
                            stops.Add((victim, TimeSpan.FromSeconds(job.GracePeriodSeconds)));
                        }

                        break;
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var (run, grace) in stops)
        {
            await backend.StopAsync(run.Id, grace, cancellationToken);
        }

        signal.Wake();
    }

    /// <summary>Keeps the newest <paramref name="keep"/> runs of each job; older ended runs are deleted.</summary>
    public async Task TrimHistoryAsync(int keep, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ended = new[] { RunState.Succeeded, RunState.Failed, RunState.Killed, RunState.Lost, RunState.Skipped };
        var trimmed = await db.Runs
            .Where(r => ended.Contains(r.State)
                && db.Runs.Count(newer => newer.JobId == r.JobId && newer.Id > r.Id) >= keep)
            .ExecuteDeleteAsync(cancellationToken);
        if (trimmed > 0)
        {
            LogTrimmed(trimmed, keep);
        }
    }

    private async Task PurgeAsync(PurgeJob purge, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Runs.Where(r => r.JobId == purge.JobId).ExecuteDeleteAsync(cancellationToken);
        await db.Jobs.Where(j => j.Id == purge.JobId && j.DeletedAt != null).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>A new queued run of <paramref name="job"/>, with the job's command and resources as they are now.</summary>
    public static Run NewRun(Job job, int attempt, RunReason reason, DateTimeOffset now) => new()
    {
        JobId = job.Id,
        ToolName = job.ToolName,
        JobName = job.Name,
        Attempt = attempt,
        State = RunState.Queued,
        Reason = reason,
        Queue = job.Queue,
        Command = job.Command,
        MemoryBytes = job.MemoryBytes,
        CpuMillis = job.CpuMillis,
        Generation = job.Generation,
        TimeoutSeconds = job.TimeoutSeconds,
        SubmittedAt = now,
    };
}
