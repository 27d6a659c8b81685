using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Scheduling;
using Toolgrid.Core.Supervision;
using Toolgrid.Store;

namespace Toolgrid.Controller;

/// <summary>Applies the supervisor's schedule steps (<see cref="AdvanceSchedule"/>): due runs started or skipped, a job's handled due time recorded.</summary>
public sealed partial class ScheduleAdvances(
    IDbContextFactory<ToolgridDbContext> contexts,
    IBackend backend,
    SupervisorSignal signal,
    TimeProvider time,
    ILogger<ScheduleAdvances> logger)
{
    /// <summary>
    /// Records scheduled jobs' handled due times and their steps, checking each job's version: a
    /// due time is handled exactly once, however often the controller restarts or two passes race.
    /// All of a pass's jobs go in one transaction (a thousand jobs due on the same minute are one
    /// write, not a thousand); should one of them have changed meanwhile, each is tried on its own.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyList<AdvanceSchedule> advances, CancellationToken cancellationToken)
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

    private async Task AdvanceAsync(IReadOnlyList<AdvanceSchedule> advances, CancellationToken cancellationToken)
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

            // Until then, the passes leave the job unread.
            job.NextDueAt = advance.NextDueAt;

            // The job is written, its version checked and bumped, even when only its runs
            // change: of two passes that handle the same due time, the second is refused.
            db.Entry(job).Property(j => j.Version).IsModified = true;
            foreach (var step in advance.Steps)
            {
                switch (step)
                {
                    case StartDue start:
                        var run = NewRuns.Of(job, 1, start.Reason, now);
                        run.DueAt = start.DueAt;

                        // Ahead of its due time: set up now, its command held until then.
                        run.NotBefore = start.DueAt > now ? start.DueAt : null;
                        db.Runs.Add(run);
                        LogDue(job.ToolName, job.Name, start.DueAt, start.Reason);
                        break;
                    case SkipDue skip:
                        var skipped = NewRuns.Of(job, 1, RunReason.Scheduled, now);
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

    [LoggerMessage(EventId = 2106, Level = LogLevel.Information, Message = "{Tool}/{Job} is due ({DueAt:u}): queued ({Reason})")]
    private partial void LogDue(string tool, string job, DateTimeOffset dueAt, RunReason reason);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Information, Message = "{Tool}/{Job} was due ({DueAt:u}) and is skipped: {Message}")]
    private partial void LogSkipped(string tool, string job, DateTimeOffset dueAt, string message);
}
