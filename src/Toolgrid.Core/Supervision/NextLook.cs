using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Scheduling;

namespace Toolgrid.Core.Supervision;

/// <summary>
/// When the supervisor must look again though nothing it reads has changed: the earliest time at
/// which <see cref="Supervisor.Decide"/>, given the same snapshot, may plan a step that it does
/// not plan now. Until then a pass over an unchanged store would find nothing to do.
/// </summary>
/// <remarks>
/// The times that move a decision on their own: a scheduled job's next due time (its lead time
/// before, for a run started ahead; the due time itself, when no run can be started ahead), a
/// continuous job's crash-loop backoff, a stop to be asked again, a job that is over
/// to purge. A queued run that found no place waits for room, which the backend may make without
/// a word to the store: it is looked at every tick (<c>now</c>).
/// </remarks>
public static class NextLook
{
    /// <summary>The time to look again, or null when only a change can bring a step.</summary>
    public static DateTimeOffset? At(SupervisorSnapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.ActiveRuns.Any(r => r.State == RunState.Queued))
        {
            return now;
        }

        var lead = (snapshot.Schedules ?? ScheduleSettings.Default).LeadTime;
        var activeByJob = snapshot.ActiveRuns.ToLookup(r => r.JobId);
        var times = new List<DateTimeOffset>();
        if (snapshot.NextDueAt is { } unread)
        {
            times.Add(Ahead(unread, lead, now));
        }

        foreach (var summary in snapshot.Jobs)
        {
            var job = summary.Job;
            var grace = TimeSpan.FromSeconds(job.GracePeriodSeconds);

            // Past ones are left out: a stop, a backoff or a purge that has come is in the plan.
            times.AddRange(activeByJob[job.Id]
                .Where(r => r.StopRequestedAt is not null)
                .Select(r => r.StopRequestedAt!.Value + grace + Supervisor.StopResendAfter)
                .Where(t => t > now));
            if (Supervisor.PurgeDueAt(summary, activeByJob) is { } purge && purge > now)
            {
                times.Add(purge);
            }

            if (job.DeletedAt is not null || summary.ToolDisabled)
            {
                continue;
            }

            if (job.Kind == JobKind.Scheduled && (summary.Schedule ?? Supervisor.Read(job, snapshot.TimeZone)) is { } schedule)
            {
                times.Add(Ahead(ScheduleRules.NextDue(job, schedule, job.LastDueAt), lead, now));
            }

            if (job.Kind == JobKind.Continuous && job.NextStartAt is { } backoff && backoff > now && activeByJob[job.Id].Count() < job.Replicas)
            {
                times.Add(backoff);
            }
        }

        return times.Count == 0 ? null : times.Min();
    }

    /// <summary>
    /// A due time is first looked at its lead time before; within the lead time (no run could be
    /// started ahead), at the due time; one that has come (after the snapshot was read), at once.
    /// </summary>
    private static DateTimeOffset Ahead(DateTimeOffset due, TimeSpan lead, DateTimeOffset now) =>
        due - lead > now ? due - lead : due > now ? due : now;
}
