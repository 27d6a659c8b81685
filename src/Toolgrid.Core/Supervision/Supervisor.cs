using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Scheduling;

namespace Toolgrid.Core.Supervision;

/// <summary>
/// The supervisor's decisions: a pure function of (snapshot, now) that returns the steps that
/// bring what runs closer to what should run. A thin loop in the controller applies them.
/// </summary>
/// <remarks>
/// Steps are idempotent and small, so applying a plan halfway (a crash, a lost race with the
/// API) is harmless: the next snapshot shows what was done and the next plan does the rest.
/// </remarks>
public static class Supervisor
{
    /// <summary>A stop that has not ended a run this long after its grace period is asked again.</summary>
    public static readonly TimeSpan StopResendAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a job that is over is kept after its last run ended, so that a client still
    /// waiting for it (<c>jobs run --wait</c>, an interactive session) or <c>jobs show</c> can read
    /// how it ended: a deleted job, or an interactive job whose session went away.
    /// </summary>
    public static readonly TimeSpan EndedJobKept = TimeSpan.FromMinutes(5);

    public static IReadOnlyList<SupervisorAction> Decide(SupervisorSnapshot snapshot, DateTimeOffset now)
    {
        var plan = new List<SupervisorAction>();
        var jobs = snapshot.Jobs.ToDictionary(j => j.Job.Id);
        var activeByJob = snapshot.ActiveRuns.ToLookup(r => r.JobId);
        var drained = DrainMoves.InEffect(snapshot);

        StopUnwanted(snapshot, jobs, now, plan);
        RetryFailed(snapshot, activeByJob, plan);
        RerunOneOffs(snapshot, activeByJob, now, plan);
        KeepContinuousUp(snapshot, activeByJob, drained, now, plan);
        StopStaleHeldRuns(snapshot, activeByJob, now, plan);
        Schedule(snapshot, activeByJob, now, plan);
        PurgeDeleted(snapshot, activeByJob, now, plan);
        plan.AddRange(DrainMoves.Decide(snapshot).Steps);
        Place(snapshot, jobs, plan);
        return plan;
    }

    /// <summary>Asks a run to stop, unless that was asked recently enough (then the answer is awaited).</summary>
    private static void StopIfDue(Run run, RunReason reason, TimeSpan grace, DateTimeOffset now, List<SupervisorAction> plan)
    {
        var due = run.StopRequestedAt is null
            || run.StopReason != reason
            || now - run.StopRequestedAt.Value > grace + StopResendAfter;
        if (due)
        {
            plan.Add(new StopRun(run.Id, reason, grace));
        }
    }

    /// <summary>Scheduled jobs: their due times, by <see cref="ScheduleRules"/>.</summary>
    private static void Schedule(SupervisorSnapshot snapshot, ILookup<long, Run> activeByJob, DateTimeOffset now, List<SupervisorAction> plan)
    {
        var settings = snapshot.Schedules ?? ScheduleSettings.Default;
        foreach (var summary in snapshot.Jobs)
        {
            var job = summary.Job;
            if (job.Kind != JobKind.Scheduled || job.DeletedAt is not null || summary.ToolDisabled
                || (summary.Schedule ?? Read(job, snapshot.TimeZone)) is not { } schedule)
            {
                continue;
            }

            var decision = ScheduleRules.Decide(job, schedule, activeByJob[job.Id].ToList(), now, settings);
            var nextDue = ScheduleRules.NextDue(job, schedule, decision.LastDueAt ?? job.LastDueAt);
            if (decision.LastDueAt is not null || decision.Steps.Count > 0 || job.NextDueAt != nextDue)
            {
                plan.Add(new AdvanceSchedule(job.Id, job.Version, decision.LastDueAt, decision.Steps, nextDue));
            }
        }
    }

    /// <summary>The schedule of <paramref name="job"/>, in <paramref name="siteTimeZone"/> unless it names its own; null if it cannot be read.</summary>
    public static CronSchedule? Read(Job job, string siteTimeZone)
    {
        ArgumentNullException.ThrowIfNull(job);
        return CronSchedule.TryParse(job.Schedule, job.ToolName, job.Name, job.TimeZone, siteTimeZone, out var schedule, out _) ? schedule : null;
    }

    /// <summary>
    /// Runs started ahead of their due time whose command is still held: one of a declaration
    /// that has changed since (the job's <see cref="Job.LastDueAt"/> was set back before its due
    /// time, see <see cref="ScheduleRules"/>) is replaced; under <see cref="ConcurrencyPolicy.Forbid"/>,
    /// one beside another active run (a maintainer ran the job now, within the lead time) is not
    /// started: the run started by hand takes the due time's place. (Whether the other run would
    /// still be going at the due time cannot be known ahead; this errs on the side of forbid.)
    /// </summary>
    private static void StopStaleHeldRuns(SupervisorSnapshot snapshot, ILookup<long, Run> activeByJob, DateTimeOffset now, List<SupervisorAction> plan)
    {
        foreach (var summary in snapshot.Jobs)
        {
            var job = summary.Job;
            if (job.DeletedAt is not null || summary.ToolDisabled)
            {
                continue;
            }

            var active = activeByJob[job.Id].ToList();
            var grace = TimeSpan.FromSeconds(job.GracePeriodSeconds);
            foreach (var held in active.Where(r => r.IsHeld))
            {
                if (job.Kind != JobKind.Scheduled || job.LastDueAt is null || held.DueAt is null || held.DueAt > job.LastDueAt)
                {
                    StopIfDue(held, RunReason.Replaced, grace, now, plan);
                }
                else if (job.Concurrency == ConcurrencyPolicy.Forbid && active.Any(r => !r.IsHeld))
                {
                    StopIfDue(held, RunReason.Overlap, grace, now, plan);
                }
            }
        }
    }

    /// <summary>A one-off job a maintainer restarted (its generation moved on): stop the old run, then run it again.</summary>
    private static void RerunOneOffs(SupervisorSnapshot snapshot, ILookup<long, Run> activeByJob, DateTimeOffset now, List<SupervisorAction> plan)
    {
        foreach (var summary in snapshot.Jobs)
        {
            var job = summary.Job;
            if (job.Kind != JobKind.OneOff || job.DeletedAt is not null || summary.ToolDisabled || job.Interactive
                || summary.LatestRun is not { } latest || latest.Generation >= job.Generation)
            {
                continue;
            }

            var active = activeByJob[job.Id].ToList();
            foreach (var run in active)
            {
                StopIfDue(run, RunReason.Replaced, TimeSpan.FromSeconds(job.GracePeriodSeconds), now, plan);
            }

            if (active.Count == 0)
            {
                plan.Add(new QueueRun(job.Id, RunReason.Manual));
            }
        }
    }

    /// <summary>
    /// Continuous jobs: keep <see cref="Job.Replicas"/> runs up. A run that fails its health check
    /// is stopped; runs of an older generation are replaced one at a time, each stopped before its
    /// successor starts, so a job never has more runs than replicas (two copies of a one-replica
    /// bot never run at once); missing runs are queued once the crash-loop backoff allows. A run
    /// moving off a drained node is the one exception: see <see cref="DrainMoves"/>.
    /// </summary>
    private static void KeepContinuousUp(SupervisorSnapshot snapshot, ILookup<long, Run> activeByJob, IReadOnlySet<string> drained, DateTimeOffset now, List<SupervisorAction> plan)
    {
        foreach (var summary in snapshot.Jobs)
        {
            var job = summary.Job;
            if (job.Kind != JobKind.Continuous || job.DeletedAt is not null || summary.ToolDisabled)
            {
                continue;
            }

            var active = activeByJob[job.Id].OrderBy(r => r.Id).ToList();
            var grace = TimeSpan.FromSeconds(job.GracePeriodSeconds);
            foreach (var run in active.Where(r => r.Healthy == false))
            {
                StopIfDue(run, RunReason.Unhealthy, grace, now, plan);
            }

            // Replacement, one at a time; fewer replicas, the newest go first. A run moving off a
            // drained node has its successor up before it stops (DrainMoves).
            var stopping = active.Where(r => r.StopRequestedAt is not null && r.StopReason is RunReason.Replaced or RunReason.NodeDrained).ToList();
            foreach (var run in stopping)
            {
                StopIfDue(run, run.StopReason!.Value, grace, now, plan);
            }

            var live = active.Where(r => r.StopRequestedAt is null).ToList();
            var surplus = active.Count - stopping.Count - job.Replicas - DrainMoves.Allowance(job, live, drained);
            foreach (var run in active.Where(r => r.StopRequestedAt is null).OrderByDescending(r => r.Id).Take(Math.Max(0, surplus)))
            {
                plan.Add(new StopRun(run.Id, RunReason.Replaced, grace));
            }

            var old = active.FirstOrDefault(r => r.Generation < job.Generation && r.StopRequestedAt is null);
            if (old is not null && stopping.Count == 0 && surplus <= 0)
            {
                plan.Add(new StopRun(old.Id, RunReason.Replaced, grace));
            }

            // Done under on-failure: the command exited 0.
            if (job.Restart == RestartPolicy.OnFailure && active.Count == 0
                && summary.LatestRun is { State: RunState.Succeeded } latest && latest.Generation >= job.Generation)
            {
                continue;
            }

            var missing = job.Replicas - active.Count;
            if (missing > 0 && (job.NextStartAt is null || job.NextStartAt <= now))
            {
                for (var i = 0; i < missing; i++)
                {
                    plan.Add(new QueueRun(job.Id, RunReason.Restarted));
                }
            }
        }
    }

    private static void StopUnwanted(SupervisorSnapshot snapshot, Dictionary<long, JobSummary> jobs, DateTimeOffset now, List<SupervisorAction> plan)
    {
        foreach (var run in snapshot.ActiveRuns)
        {
            if (!jobs.TryGetValue(run.JobId, out var summary))
            {
                continue;
            }

            var grace = TimeSpan.FromSeconds(summary.Job.GracePeriodSeconds);
            if (IsUnwanted(summary, out var reason))
            {
                StopIfDue(run, reason, grace, now, plan);
            }
            else if (run.StopReason == RunReason.Stopped && run.StopRequestedAt is null)
            {
                // A maintainer stopped this one run (qdel ID): the API records the wish (a reason,
                // not yet asked), and the controller asks the backend, which ends it within the
                // grace period. Asked once, it is left to the run, as any stop by a maintainer.
                plan.Add(new StopRun(run.Id, RunReason.Stopped, grace));
            }
        }
    }

    private static bool IsUnwanted(JobSummary summary, out RunReason reason)
    {
        if (summary.ToolDisabled)
        {
            reason = RunReason.ToolDeleted;
            return true;
        }

        if (summary.Job.DeletedAt is not null)
        {
            reason = RunReason.JobDeleted;
            return true;
        }

        reason = default;
        return false;
    }

    private static void RetryFailed(SupervisorSnapshot snapshot, ILookup<long, Run> activeByJob, List<SupervisorAction> plan)
    {
        foreach (var summary in snapshot.Jobs)
        {
            var job = summary.Job;
            var latest = summary.LatestRun;
            if (job.Kind == JobKind.Continuous || job.DeletedAt is not null || summary.ToolDisabled || job.Interactive
                || latest is null || latest.Generation < job.Generation)
            {
                continue;
            }

            if (activeByJob[job.Id].Any())
            {
                continue;
            }

            // A run stopped on purpose is not retried; failures and losses are, up to the policy.
            var retriable = latest.State is RunState.Failed or RunState.Lost;
            if (retriable && latest.Attempt <= job.Retry)
            {
                plan.Add(new RetryJob(job.Id, latest.Attempt + 1));
            }
        }
    }

    private static void PurgeDeleted(SupervisorSnapshot snapshot, ILookup<long, Run> activeByJob, DateTimeOffset now, List<SupervisorAction> plan)
    {
        foreach (var summary in snapshot.Jobs)
        {
            if (PurgeDueAt(summary, activeByJob) is { } due && due <= now)
            {
                plan.Add(new PurgeJob(summary.Job.Id));
            }
        }
    }

    /// <summary>When the job may be removed from the store with its runs; null while it may not.</summary>
    /// <remarks>
    /// Only once every run has ended. An interactive job its session deleted goes at once: the
    /// session deletes it after reading how its run ended. Any other deleted job, and an
    /// interactive one whose session went away without that, goes <see cref="EndedJobKept"/>
    /// after its last run ended, so that whoever waits for it can still read how it ended.
    /// </remarks>
    internal static DateTimeOffset? PurgeDueAt(JobSummary summary, ILookup<long, Run> activeByJob)
    {
        var job = summary.Job;
        if (activeByJob[job.Id].Any() || (job.DeletedAt is null && !job.Interactive))
        {
            return null;
        }

        var endedAt = summary.LatestRun is { IsTerminal: true, FinishedAt: { } finished } ? finished : (DateTimeOffset?)null;
        if (job.DeletedAt is not null)
        {
            return job.Interactive || endedAt is null ? DateTimeOffset.MinValue : endedAt + EndedJobKept;
        }

        return endedAt + EndedJobKept;
    }

    private static void Place(SupervisorSnapshot snapshot, Dictionary<long, JobSummary> jobs, List<SupervisorAction> plan)
    {
        // A node an admin drained takes no new run, even before its backend has the drain.
        var drained = snapshot.Drains.Where(d => d.Wanted).Select(d => d.Node).ToHashSet(StringComparer.Ordinal);
        var placement = new Placement(snapshot.Nodes, snapshot.ActiveRuns, drained);
        var clusterPorts = new ClusterPorts(snapshot.Nodes, snapshot.ActiveRuns);
        foreach (var run in FairOrder(snapshot.ActiveRuns.Where(r => r.State == RunState.Queued)))
        {
            if (!jobs.TryGetValue(run.JobId, out var summary) || IsUnwanted(summary, out _))
            {
                continue;
            }

            // A dedicated queue with no usable node sends the run to default; a run already
            // placed stays where it is, and the next run of its job looks again.
            var choice = QueueChoice.For(run.Queue, snapshot.Nodes);
            var fallback = choice.FellBack ? choice.Queue : null;
            if (snapshot.EnginePlaces)
            {
                // The engine keeps its own queue of pending work and chooses the node: handing it
                // every wanted run at once is what lets it schedule them.
                // Its node is chosen later, so its port is one free on every node.
                int? port = null;
                if (summary.Job.UsesPort && (port = clusterPorts.TryTake(run, summary.Job)) is null)
                {
                    continue;
                }

                plan.Add(new PlaceRun(run.Id, null, port, fallback));
            }
            else if (placement.TryPlace(run, summary.Job, choice.Queue) is { } placed)
            {
                plan.Add(new PlaceRun(run.Id, placed.Node, placed.Port, fallback));
            }
        }
    }

    /// <summary>
    /// Queued runs in submission order, but taking turns between tools, so that one tool that
    /// queues a thousand jobs does not make every other tool wait behind them.
    /// </summary>
    internal static IEnumerable<Run> FairOrder(IEnumerable<Run> queued)
    {
        var perTool = queued
            .GroupBy(r => r.ToolName, StringComparer.Ordinal)
            .Select(g => new Queue<Run>(g.OrderBy(r => r.Id)))
            .OrderBy(q => q.Peek().Id)
            .ToList();
        while (perTool.Count > 0)
        {
            for (var i = 0; i < perTool.Count;)
            {
                yield return perTool[i].Dequeue();
                if (perTool[i].Count == 0)
                {
                    perTool.RemoveAt(i);
                }
                else
                {
                    i++;
                }
            }
        }
    }
}
