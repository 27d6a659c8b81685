using System.Globalization;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Supervision;

/// <summary>
/// Drained nodes: keeps the backend's drain in line with what admins asked, and moves the runs of
/// continuous jobs off them, one at a time per node. One-off and scheduled runs finish where they are.
/// </summary>
/// <remarks>
/// <para>A move of a run R of job J off drained node N:</para>
/// <list type="number">
/// <item>Only once the backend reports N drained (its engine places nothing there any more), only
/// when no other move off N is under way, only when J has exactly its replicas and no older
/// generation left, and only when another node that is up, not drained, and serves R's queue (or
/// <c>default</c>) can hold R: a run of J is queued (<see cref="RunReason.Moved"/>).</item>
/// <item>While that run is queued or starting, J has one run more than its replicas: the
/// supervisor's surplus rule lets it be (<see cref="Allowance"/>).</item>
/// <item>Once the new run is running (and, when J has a health check, healthy), R is asked to
/// stop (<see cref="RunReason.NodeDrained"/>). The move off N is under way until R has ended.</item>
/// </list>
/// <para>
/// The guarantee: a job never has more than its replicas plus one active runs because of a drain,
/// and the extra one only from the queuing of the new run until the old one has ended (the new
/// run's start, plus the old one's grace period). A lifted drain ends the allowance: the surplus
/// rule then stops the newest run.
/// </para>
/// </remarks>
public static class DrainMoves
{
    /// <summary>How many moves off one node may be under way at once.</summary>
    public const int MovesPerNode = 1;

    /// <summary>The steps and waits for <paramref name="snapshot"/>.</summary>
    public static DrainPlan Decide(SupervisorSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var steps = new List<SupervisorAction>();
        var waits = new List<DrainWait>();
        var capacity = snapshot.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var drain in snapshot.Drains)
        {
            var known = capacity.GetValueOrDefault(drain.Node);
            if (drain.Wanted && known is { Drained: false })
            {
                steps.Add(new DrainNode(drain.Node, drain.Reason!));
            }
            else if (!drain.Wanted && drain.EngineDrained && known is not null)
            {
                // A node the backend no longer lists has no drain to undo.
                steps.Add(new ResumeNode(drain.Node));
            }
        }

        var wanted = snapshot.Drains.Where(d => d.Wanted).Select(d => d.Node).ToHashSet(StringComparer.Ordinal);
        var inEffect = InEffect(snapshot);
        var jobs = snapshot.Jobs.ToDictionary(j => j.Job.Id);
        var inFlight = new Dictionary<string, int>(StringComparer.Ordinal);
        var candidates = new List<(JobSummary Summary, Run Run)>();
        var explained = new HashSet<long>();
        foreach (var group in snapshot.ActiveRuns.GroupBy(r => r.JobId))
        {
            if (!jobs.TryGetValue(group.Key, out var summary) || !Movable(summary))
            {
                continue;
            }

            var job = summary.Job;
            var active = group.OrderBy(r => r.Id).ToList();
            foreach (var old in active.Where(r => r.StopReason == RunReason.NodeDrained && r.StopRequestedAt is not null && r.Node is not null))
            {
                Count(inFlight, old.Node!);
                waits.Add(Wait(old, "its new run is up; it is stopping"));
                explained.Add(old.Id);
            }

            var live = active.Where(r => r.StopRequestedAt is null).ToList();
            var onDrained = live.Where(r => r.Node is not null && inEffect.Contains(r.Node)).ToList();
            if (onDrained.Count == 0 || active.Any(r => r.Generation < job.Generation))
            {
                continue;
            }

            var from = onDrained[0];
            var replacement = live.Where(r => r.Node is null || !inEffect.Contains(r.Node)).LastOrDefault();
            if (live.Count > job.Replicas && replacement is not null)
            {
                Count(inFlight, from.Node!);
                explained.Add(from.Id);
                if (IsReady(replacement, job))
                {
                    steps.Add(new StopRun(from.Id, RunReason.NodeDrained, TimeSpan.FromSeconds(job.GracePeriodSeconds)));
                    waits.Add(Wait(from, string.Create(CultureInfo.InvariantCulture, $"its new run {replacement.Id} runs on {replacement.Node ?? "another node"}; stopping it")));
                }
                else
                {
                    waits.Add(Wait(from, string.Create(CultureInfo.InvariantCulture, $"moving: waiting for its new run {replacement.Id} to {(job.HasHealthCheck ? "be healthy" : "run")}")));
                }
            }
            else if (live.Count == job.Replicas && !active.Any(r => r.StopReason == RunReason.NodeDrained && r.StopRequestedAt is not null))
            {
                candidates.Add((summary, from));
            }
        }

        foreach (var (summary, run) in candidates.OrderBy(c => c.Run.Id))
        {
            explained.Add(run.Id);
            if (inFlight.GetValueOrDefault(run.Node!) >= MovesPerNode)
            {
                waits.Add(Wait(run, "waits its turn: one run moves off a node at a time"));
            }
            else if (!CanRunElsewhere(run, snapshot.Nodes, inEffect))
            {
                waits.Add(Wait(run, "stays: no other node that is up and not drained can take it"));
            }
            else
            {
                Count(inFlight, run.Node!);
                steps.Add(new QueueRun(summary.Job.Id, RunReason.Moved));
                waits.Add(Wait(run, "moving: a new run of its job is queued"));
            }
        }

        foreach (var run in snapshot.ActiveRuns.Where(r => r.Node is not null && wanted.Contains(r.Node) && !explained.Contains(r.Id)).OrderBy(r => r.Id))
        {
            var movable = jobs.TryGetValue(run.JobId, out var summary) && Movable(summary);
            waits.Add(Wait(run,
                !movable ? "finishes here: runs other than a continuous job's are not moved"
                : !inEffect.Contains(run.Node!) ? "waits for the backend to drain the node"
                : run.StopRequestedAt is not null ? "stopping"
                : "waits for its job's other runs to settle"));
        }

        return new DrainPlan(steps, waits);
    }

    /// <summary>
    /// How many runs more than its replicas job <paramref name="job"/> may have because of a move:
    /// one, while one of its live runs is on a node whose drain is in effect and another is not.
    /// </summary>
    public static int Allowance(Job job, IReadOnlyList<Run> live, IReadOnlySet<string> inEffect)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(inEffect);
        var on = live.Count(r => r.Node is not null && inEffect.Contains(r.Node));
        return on > 0 && on < live.Count && live.All(r => r.Generation >= job.Generation) ? 1 : 0;
    }

    /// <summary>The nodes whose drain an admin asked for and the backend reports done.</summary>
    public static IReadOnlySet<string> InEffect(SupervisorSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var drained = snapshot.Nodes.Where(n => n.Drained).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        return snapshot.Drains.Where(d => d.Wanted && drained.Contains(d.Node)).Select(d => d.Node).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Whether the new run may take over: it runs, and, when its job has a health check, passes it.</summary>
    public static bool IsReady(Run run, Job job)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(job);
        return run.State == RunState.Running && (!job.HasHealthCheck || run.Healthy == true);
    }

    /// <summary>Whether a node other than <paramref name="run"/>'s, up and not drained, serves its queue (or <c>default</c>) and can hold its limits.</summary>
    public static bool CanRunElsewhere(Run run, IReadOnlyList<NodeCapacity> nodes, IReadOnlySet<string> drained)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(drained);
        var others = nodes.Where(n => n.Up && !n.Drained && !drained.Contains(n.Name) && n.Name != run.Node).ToList();
        var serving = others.Where(n => n.Queues.Contains(run.Queue)).ToList();
        if (serving.Count == 0 && run.Queue != Queues.Default)
        {
            serving = others.Where(n => n.Queues.Contains(Queues.Default)).ToList();
        }

        return serving.Any(n => n.Slots > 0 && n.MemoryBytes >= run.MemoryBytes && n.CpuMillis >= run.CpuMillis);
    }

    private static bool Movable(JobSummary summary) =>
        summary.Job.Kind == JobKind.Continuous && summary.Job.DeletedAt is null && !summary.ToolDisabled;

    private static void Count(Dictionary<string, int> inFlight, string node) =>
        inFlight[node] = inFlight.GetValueOrDefault(node) + 1;

    private static DrainWait Wait(Run run, string why) => new(run.Node ?? "", run.Id, run.ToolName, run.JobName, why);
}
