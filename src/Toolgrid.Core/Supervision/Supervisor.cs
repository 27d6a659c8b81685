using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;

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

    public static IReadOnlyList<SupervisorAction> Decide(SupervisorSnapshot snapshot, DateTimeOffset now)
    {
        var plan = new List<SupervisorAction>();
        var jobs = snapshot.Jobs.ToDictionary(j => j.Job.Id);
        var activeByJob = snapshot.ActiveRuns.ToLookup(r => r.JobId);

        StopUnwanted(snapshot, jobs, now, plan);
        RetryFailed(snapshot, activeByJob, plan);
        PurgeDeleted(snapshot, activeByJob, plan);
        Place(snapshot, jobs, plan);
        return plan;
    }

    private static void StopUnwanted(SupervisorSnapshot snapshot, Dictionary<long, JobSummary> jobs, DateTimeOffset now, List<SupervisorAction> plan)
    {
        foreach (var run in snapshot.ActiveRuns)
        {
            if (!jobs.TryGetValue(run.JobId, out var summary) || !IsUnwanted(summary, out var reason))
            {
                continue;
            }

            var grace = TimeSpan.FromSeconds(summary.Job.GracePeriodSeconds);
            var due = run.StopRequestedAt is null
                || run.StopReason != reason
                || now - run.StopRequestedAt.Value > grace + StopResendAfter;
            if (due)
            {
                plan.Add(new StopRun(run.Id, reason, grace));
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
            if (job.Kind != JobKind.OneOff || job.DeletedAt is not null || summary.ToolDisabled || latest is null)
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

    private static void PurgeDeleted(SupervisorSnapshot snapshot, ILookup<long, Run> activeByJob, List<SupervisorAction> plan)
    {
        foreach (var summary in snapshot.Jobs)
        {
            if (summary.Job.DeletedAt is not null && !activeByJob[summary.Job.Id].Any())
            {
                plan.Add(new PurgeJob(summary.Job.Id));
            }
        }
    }

    private static void Place(SupervisorSnapshot snapshot, Dictionary<long, JobSummary> jobs, List<SupervisorAction> plan)
    {
        var placement = new Placement(snapshot.Nodes, snapshot.ActiveRuns);
        foreach (var run in FairOrder(snapshot.ActiveRuns.Where(r => r.State == RunState.Queued)))
        {
            if (!jobs.TryGetValue(run.JobId, out var summary) || IsUnwanted(summary, out _))
            {
                continue;
            }

            if (placement.TryPlace(run) is { } node)
            {
                plan.Add(new PlaceRun(run.Id, node));
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
