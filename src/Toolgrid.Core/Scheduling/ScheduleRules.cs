using System.Globalization;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Scheduling;

/// <summary>
/// The scheduler's decisions: for one scheduled job, a pure function of (job, schedule, the job's
/// active runs, now) that says which due times to run, which to record as skipped, and which
/// runs to replace. A thin loop in the controller applies them.
/// </summary>
/// <remarks>
/// <para>
/// <b>Due times considered.</b> Every due time of the schedule in (<c>since</c>, <c>now</c>], where
/// <c>since</c> is <see cref="Job.LastDueAt"/>, or <see cref="Job.CreatedAt"/> for a job that has
/// never had one: a new job never catches up on due times before it existed. When there is none,
/// the decision is <see cref="ScheduleDecision.Nothing"/>. Otherwise the decision sets
/// <see cref="Job.LastDueAt"/> to the latest of them, whatever is done about each.
/// </para>
/// <para>
/// <b>On time or missed.</b> The latest due time is <em>on time</em> when it is dealt with at most
/// <see cref="ScheduleSettings.Lateness"/> after it fell due. Every other due time considered is
/// <em>missed</em>: it fell due while the controller was down (or so long ago that a later one has
/// come since).
/// </para>
/// <para>
/// <b>The run.</b> At most one run per decision, never more (at most one <see cref="StartDue"/>):
/// <list type="bullet">
/// <item>an on-time due time is the candidate, with <see cref="RunReason.Scheduled"/>; it wins over missed ones;</item>
/// <item>otherwise, with <see cref="CatchUpPolicy.Once"/>, the latest missed due time is the candidate, with
/// <see cref="RunReason.CaughtUp"/>, if it is at most <see cref="ScheduleSettings.CatchUpWindow"/> late
/// (otherwise it is missed like the rest);</item>
/// <item>with <see cref="CatchUpPolicy.Skip"/>, a missed due time is never run.</item>
/// </list>
/// The candidate then follows the job's <see cref="Job.Concurrency"/>, against the job's active
/// (queued, starting or running) runs:
/// <list type="bullet">
/// <item><see cref="ConcurrencyPolicy.Forbid"/>: with an active run, the candidate is not run but recorded as
/// <see cref="SkipDue"/> with <see cref="RunReason.Overlap"/>, "skipped: the previous run (id N) was still running";</item>
/// <item><see cref="ConcurrencyPolicy.Replace"/>: a <see cref="ReplaceRun"/> for each active run (oldest first)
/// whose stop has not already been asked for, then the <see cref="StartDue"/> (a run already being stopped,
/// say for its timeout, keeps its own reason and is on its way out anyway);</item>
/// <item><see cref="ConcurrencyPolicy.Allow"/>: the <see cref="StartDue"/>.</item>
/// </list>
/// </para>
/// <para>
/// <b>Missed due times that are not run</b> are recorded as <see cref="SkipDue"/> with
/// <see cref="RunReason.Missed"/>, but at most <see cref="ScheduleSettings.MaxRecordedMisses"/> of
/// them one by one (the latest ones), so that a week's outage does not flood the job's history.
/// When more were missed, the oldest recorded one's message ends with how many were not recorded
/// one by one, and since when: "…; and 157 earlier due times since 2026-11-20T12:07:00Z, missed
/// while the controller was down".
/// </para>
/// <para>
/// <b>Order.</b> The skipped missed due times, oldest first, then the candidate's steps.
/// </para>
/// <para>
/// <b>Exactly once.</b> Every due time is dealt with by exactly one decision: the controller saves
/// the new <see cref="Job.LastDueAt"/> together with the steps, in one transaction checked against
/// the job's <see cref="Job.Version"/>. A controller that loses that race, or decides again at
/// the same <c>now</c>, finds no due time left after the new <see cref="Job.LastDueAt"/>. The
/// schedule resumes from an instant, so a due time in an hour that daylight saving repeats is not
/// found twice either.
/// </para>
/// <para>
/// <b>Ahead of time.</b> With no due time to deal with, the next one is dealt with up to
/// <see cref="ScheduleSettings.LeadTime"/> before it comes: its run is queued, placed and set up
/// then, its command held until the due time (<see cref="Run.NotBefore"/>), so that many runs due
/// on the same minute all start on time. That is done only when the job has no active run (any
/// run at all under <see cref="ConcurrencyPolicy.Allow"/>, but never two held ones); otherwise
/// the due time is decided when it comes, as above. The decision's <see cref="Job.LastDueAt"/> is
/// then that future due time, so it is dealt with once. Whoever changes the job's schedule or
/// command should set a <see cref="Job.LastDueAt"/> in the future back to the time of the change:
/// the held run, of the old declaration, is then stopped (<see cref="Supervision.Supervisor"/>)
/// and the due time decided again.
/// </para>
/// <para>
/// A deleted job (<see cref="Job.DeletedAt"/>) gets <see cref="ScheduleDecision.Nothing"/>. When a
/// job's schedule or time zone changes, whoever changes it should set <see cref="Job.LastDueAt"/> to
/// the time of the change, so that the new schedule's past due times are not taken for missed ones.
/// </para>
/// </remarks>
public static class ScheduleRules
{
    /// <summary>Due times are read from the schedule this many at a time, so a long outage costs time, not memory.</summary>
    private const int Page = 1000;

    /// <summary>Decides what to do about a scheduled job's due times up to <paramref name="now"/>; see the class remarks.</summary>
    /// <param name="job">The scheduled job.</param>
    /// <param name="schedule">The job's schedule, read in its time zone.</param>
    /// <param name="activeRuns">The job's active runs; runs of other jobs, and runs that have ended, are ignored.</param>
    /// <param name="now">The controller's time.</param>
    /// <param name="settings">The site's settings.</param>
    public static ScheduleDecision Decide(Job job, CronSchedule schedule, IReadOnlyList<Run> activeRuns, DateTimeOffset now, ScheduleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(activeRuns);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Problems() is [var problem, ..])
        {
            throw new ArgumentException(problem, nameof(settings));
        }

        if (job.DeletedAt is not null)
        {
            return ScheduleDecision.Nothing;
        }

        // The latest due time may be the run; the MaxRecordedMisses before it are recorded.
        var due = DueTimes.Read(schedule, job.LastDueAt ?? job.CreatedAt, now, settings.MaxRecordedMisses + 1);
        if (due.Count == 0)
        {
            return Ahead(job, schedule, activeRuns, now, settings) ?? ScheduleDecision.Nothing;
        }

        var latest = due.Latest[^1];
        RunReason? candidate = now - latest <= settings.Lateness ? RunReason.Scheduled
            : job.CatchUp == CatchUpPolicy.Once && now - latest <= settings.CatchUpWindow ? RunReason.CaughtUp
            : null;

        var steps = new List<ScheduleStep>();
        var missed = candidate is null ? due.Latest : due.Latest[..^1];
        var missedCount = candidate is null ? due.Count : due.Count - 1;
        RecordMisses(job, missed, missedCount, due.Oldest, now, settings, steps);
        if (candidate is { } reason)
        {
            AddRun(job, activeRuns, latest, reason, steps);
        }

        return new ScheduleDecision(latest, steps);
    }

    /// <summary>
    /// The job's <see cref="Job.NextDueAt"/> once <paramref name="lastDueAt"/> is dealt with: its
    /// first due time after that (after <see cref="Job.CreatedAt"/> when null), or
    /// <see cref="DateTimeOffset.MaxValue"/> when the schedule has none. A pass reads a job when
    /// this less the lead time has come: before that, <see cref="Decide"/> has nothing to do for it.
    /// </summary>
    public static DateTimeOffset NextDue(Job job, CronSchedule schedule, DateTimeOffset? lastDueAt)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule.NextAfter(lastDueAt ?? job.CreatedAt) ?? DateTimeOffset.MaxValue;
    }

    /// <summary>
    /// The next <paramref name="count"/> due times of a job, for <c>jobs show</c>: those after
    /// <paramref name="now"/>, the one whose run is already set up ahead among them; none for a
    /// deleted job.
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> NextDueTimes(Job job, CronSchedule schedule, DateTimeOffset now, int count)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (job.DeletedAt is not null || count == 0)
        {
            return [];
        }

        return schedule.Next(now, count);
    }

    /// <summary>
    /// With no due time to deal with: the next one, when it is at most the lead time away, is dealt
    /// with now by a run started ahead (its <see cref="Run.NotBefore"/> is the due time), unless
    /// the job has a run held already, or has any active run and does not allow overlaps (then the
    /// due time is decided when it comes, by the rules above).
    /// </summary>
    private static ScheduleDecision? Ahead(Job job, CronSchedule schedule, IReadOnlyList<Run> activeRuns, DateTimeOffset now, ScheduleSettings settings)
    {
        if (settings.LeadTime <= TimeSpan.Zero)
        {
            return null;
        }

        var since = job.LastDueAt ?? job.CreatedAt;
        if (schedule.NextAfter(since > now ? since : now) is not { } next || next - now > settings.LeadTime)
        {
            return null;
        }

        var active = activeRuns.Where(r => r.JobId == job.Id && r.IsActive).ToList();
        if (active.Any(r => r.IsHeld) || (job.Concurrency != ConcurrencyPolicy.Allow && active.Count > 0))
        {
            return null;
        }

        return new ScheduleDecision(next, [new StartDue(next, RunReason.Scheduled)]);
    }

    private static void RecordMisses(
        Job job,
        ReadOnlySpan<DateTimeOffset> missed,
        int missedCount,
        DateTimeOffset oldest,
        DateTimeOffset now,
        ScheduleSettings settings,
        List<ScheduleStep> steps)
    {
        var recorded = missed[Math.Max(0, missed.Length - settings.MaxRecordedMisses)..];
        var unrecorded = missedCount - recorded.Length;
        for (var i = 0; i < recorded.Length; i++)
        {
            var dueAt = recorded[i];
            var message = MissedMessage(job, dueAt, now, settings);
            if (i == 0 && unrecorded > 0)
            {
                message += Invariant($"; and {unrecorded} earlier due {(unrecorded == 1 ? "time" : "times")} since {Format(oldest)}, missed while the controller was down");
            }

            steps.Add(new SkipDue(dueAt, RunReason.Missed, message));
        }
    }

    private static string MissedMessage(Job job, DateTimeOffset dueAt, DateTimeOffset now, ScheduleSettings settings) =>
        job.CatchUp == CatchUpPolicy.Skip ? "missed: it fell due while the controller was down, and catch-up is skip"
        : now - dueAt > settings.CatchUpWindow ? $"missed: it fell due while the controller was down, more than {Duration.Format(settings.CatchUpWindow)} ago (the catch-up window)"
        : "missed: it fell due while the controller was down, and catch-up once runs only the latest due time";

    private static void AddRun(Job job, IReadOnlyList<Run> activeRuns, DateTimeOffset dueAt, RunReason reason, List<ScheduleStep> steps)
    {
        var active = activeRuns.Where(r => r.JobId == job.Id && r.IsActive).OrderBy(r => r.Id).ToList();
        switch (job.Concurrency)
        {
            case ConcurrencyPolicy.Forbid when active.Count > 0:
                steps.Add(new SkipDue(dueAt, RunReason.Overlap, OverlapMessage(active)));
                return;

            case ConcurrencyPolicy.Replace:
                steps.AddRange(active.Where(r => r.StopRequestedAt is null).Select(r => new ReplaceRun(r.Id)));
                break;

            case ConcurrencyPolicy.Forbid:
            case ConcurrencyPolicy.Allow:
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(job), job.Concurrency, "unknown concurrency policy");
        }

        // At most one StartDue per decision: the at-most-one-run guarantee of catch-up and of a
        // controller that comes back exactly at a due time rests on this line being reached once.
        steps.Add(new StartDue(dueAt, reason));
    }

    private static string OverlapMessage(List<Run> active) =>
        active.Count == 1
            ? Invariant($"skipped: the previous run (id {active[0].Id}) was still running")
            : Invariant($"skipped: the previous runs (ids {string.Join(", ", active.Select(r => r.Id))}) were still running");

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>How many due times there are in (since, now], the oldest, and the latest few.</summary>
    private readonly ref struct DueTimes(int count, DateTimeOffset oldest, ReadOnlySpan<DateTimeOffset> latest)
    {
        public int Count { get; } = count;

        public DateTimeOffset Oldest { get; } = oldest;

        /// <summary>The latest due times, oldest first, at most as many as asked for.</summary>
        public ReadOnlySpan<DateTimeOffset> Latest { get; } = latest;

        public static DueTimes Read(CronSchedule schedule, DateTimeOffset since, DateTimeOffset now, int keep)
        {
            var latest = new Queue<DateTimeOffset>(keep);
            var count = 0;
            var oldest = default(DateTimeOffset);
            var cursor = since;
            while (true)
            {
                var page = schedule.Between(cursor, now, Page);
                foreach (var dueAt in page)
                {
                    if (count++ == 0)
                    {
                        oldest = dueAt;
                    }

                    if (latest.Count == keep)
                    {
                        latest.Dequeue();
                    }

                    latest.Enqueue(dueAt);
                }

                if (page.Count < Page)
                {
                    return new DueTimes(count, oldest, latest.ToArray());
                }

                // Resuming from an instant finds each due time once, even in a repeated hour.
                cursor = page[^1];
            }
        }
    }
}
