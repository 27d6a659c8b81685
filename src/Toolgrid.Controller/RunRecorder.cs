using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Supervision;
using Toolgrid.Store;

namespace Toolgrid.Controller;

/// <summary>Records in the store what backends report about runs, then lets the backend forget the ends it has recorded.</summary>
public sealed partial class RunRecorder(
    RunUpdates updates,
    IBackend backend,
    SupervisorSignal signal,
    RunEvents events,
    TimeProvider time,
    ILogger<RunRecorder> logger)
{
    public async Task RecordAsync(IReadOnlyList<BackendRunReport> reports, CancellationToken cancellationToken)
    {
        var latest = Reconciler.Latest(reports);
        var now = time.GetUtcNow();
        var inStore = new HashSet<long>();
        var crashLoopCounted = new HashSet<long>();
        var changed = await updates.UpdateAsync(
            [.. latest.Keys],
            run =>
            {
                inStore.Add(run.Id);
                return RunTransitions.Observe(run, latest[run.Id], now);
            },
            cancellationToken,
            (db, runs, token) => OnEndsAsync(db, runs, now, crashLoopCounted, token),
            run => crashLoopCounted.Contains(run.Id));

        foreach (var run in changed)
        {
            if (run.IsTerminal)
            {
                LogEnded(run.Id, run.ToolName, run.JobName, run.State, run.Reason, run.Message);
            }
            else
            {
                LogRecorded(run.Id, run.ToolName, run.JobName, run.State, run.Reason);
            }
        }

        // Exactly-once recording of an end: see Reconciler.AfterRecording.
        foreach (var action in Reconciler.AfterRecording(latest.Values, inStore))
        {
            switch (action)
            {
                case ForgetRun forget:
                    await backend.ForgetAsync(forget.RunId, cancellationToken);
                    break;
                case StopOrphan orphan:
                    LogUnknownRun(orphan.RunId);
                    await backend.StopAsync(orphan.RunId, StopOrphan.GracePeriod, cancellationToken);
                    break;
            }
        }

        if (changed.Count > 0)
        {
            signal.Wake();
            events.Publish();
        }
    }

    /// <summary>
    /// What an end changes beside the run, in the same transaction: a continuous job's crash-loop
    /// count and next start (so a restarted controller carries on with the same backoff). The ends
    /// counted in a crash loop go into <paramref name="crashLoopCounted"/>, for their notices.
    /// </summary>
    private static async Task OnEndsAsync(ToolgridDbContext db, IReadOnlyList<Run> runs, DateTimeOffset now, HashSet<long> crashLoopCounted, CancellationToken cancellationToken)
    {
        crashLoopCounted.Clear();
        var ended = runs.Where(r => r.IsTerminal).ToList();
        if (ended.Count == 0)
        {
            return;
        }

        var jobIds = ended.Select(r => r.JobId).Distinct().ToList();
        var jobs = await db.Jobs.Where(j => jobIds.Contains(j.Id) && j.Kind == JobKind.Continuous).ToDictionaryAsync(j => j.Id, cancellationToken);
        foreach (var run in ended.OrderBy(r => r.FinishedAt))
        {
            if (jobs.TryGetValue(run.JobId, out var job) && Backoff.OnRunEnded(job, run, now) is { } count)
            {
                // Applied before the next end of the same job is decided: ends in a row count on.
                count.ApplyTo(job);
                crashLoopCounted.Add(run.Id);
            }
        }
    }

    [LoggerMessage(EventId = 2200, Level = LogLevel.Debug, Message = "Run {RunId} of {Tool}/{Job} is {State} ({Reason})")]
    private partial void LogRecorded(long runId, string tool, string job, RunState state, RunReason reason);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Run {RunId} of {Tool}/{Job} is {State} ({Reason}): {Message}")]
    private partial void LogEnded(long runId, string tool, string job, RunState state, RunReason reason, string? message);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "The backend reports run {RunId}, which the store does not know; stopping it")]
    private partial void LogUnknownRun(long runId);
}
