using Toolgrid.Core.Backends;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Supervision;

/// <summary>Compares the store's active runs with what a backend knows, and returns the steps that make them agree.</summary>
/// <remarks>
/// The backend's list must be read <em>before</em> the store's runs: every run is written to the
/// store before a backend hears of it, so a run the backend knows is then always found in the
/// store (active, or already ended), and a run is never taken for an orphan by mistake.
/// Runs whose start is under way (launching, read before the backend's list)
/// are left alone: the backend may not list them yet.
/// </remarks>
public static class Reconciler
{
    public static IReadOnlyList<ReconcileAction> Decide(IReadOnlyList<Run> activeRuns, IReadOnlyList<BackendRunReport> backendRuns, IReadOnlySet<long>? launching = null)
    {
        var plan = new List<ReconcileAction>();
        var seen = backendRuns.GroupBy(r => r.RunId).ToDictionary(g => g.Key, g => g.Last());
        var active = activeRuns.ToDictionary(r => r.Id);

        foreach (var run in activeRuns)
        {
            if (run.State == RunState.Queued || (launching?.Contains(run.Id) == true && !seen.ContainsKey(run.Id)))
            {
                continue;
            }

            if (seen.TryGetValue(run.Id, out var report) && report.Phase == BackendRunPhase.Waiting)
            {
                // Set up and held until its due time: the backend has it, nothing to record yet.
                if (run.State == RunState.Running)
                {
                    plan.Add(new MarkRunLost(run.Id, RunReason.Vanished, $"node {run.Node} reports this run as not started, though it was seen running; how it ended is unknown"));
                }
            }
            else if (seen.TryGetValue(run.Id, out report))
            {
                // A health verdict the store lacks counts too (one reported while no controller watched).
                var changes = report.Phase != BackendRunPhase.Running || run.State == RunState.Starting ||
                    (report.Healthy is { } healthy && (run.Healthy != healthy || (healthy && run.ReadyAt is null)));
                if (changes)
                {
                    plan.Add(new ObserveRun(report));
                }
            }
            else if (run.State == RunState.Starting)
            {
                // The backend never took it: the start did not happen, so starting it now starts it once.
                plan.Add(new ResumeStart(run.Id));
            }
            else
            {
                plan.Add(new MarkRunLost(run.Id, RunReason.Vanished, $"node {run.Node} no longer knows this run; how it ended is unknown"));
            }
        }

        foreach (var report in seen.Values)
        {
            if (active.ContainsKey(report.RunId))
            {
                continue;
            }

            plan.Add(report.Phase is BackendRunPhase.Running or BackendRunPhase.Waiting ? new StopOrphan(report.RunId) : new ForgetRun(report.RunId));
        }

        return plan;
    }

    /// <summary>Per run, the most advanced of <paramref name="reports"/>: an end makes an earlier "running" moot.</summary>
    public static IReadOnlyDictionary<long, BackendRunReport> Latest(IEnumerable<BackendRunReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var latest = new Dictionary<long, BackendRunReport>();
        foreach (var report in reports)
        {
            if (!latest.TryGetValue(report.RunId, out var known) || Rank(report) >= Rank(known))
            {
                latest[report.RunId] = report;
            }
        }

        return latest;
    }

    /// <summary>
    /// What follows once <paramref name="reports"/> are recorded: the backend forgets each end
    /// (the store holds it now), and stops each run the store does not know
    /// (<paramref name="inStore"/>: the runs found there).
    /// </summary>
    /// <remarks>
    /// Exactly-once recording of an end: the end is written (or was already: terminal states are
    /// final, and the version check refuses a stale write) before the backend is told to forget
    /// it. A crash in between leaves the end with the backend, whose repeated report then changes
    /// nothing.
    /// </remarks>
    public static IReadOnlyList<ReconcileAction> AfterRecording(IEnumerable<BackendRunReport> reports, IReadOnlySet<long> inStore)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(inStore);
        var plan = new List<ReconcileAction>();
        foreach (var report in reports)
        {
            if (report.Phase is BackendRunPhase.Exited or BackendRunPhase.Lost)
            {
                plan.Add(new ForgetRun(report.RunId));
            }
            else if (!inStore.Contains(report.RunId))
            {
                plan.Add(new StopOrphan(report.RunId));
            }
        }

        return plan;
    }

    private static int Rank(BackendRunReport report) => report.Phase switch
    {
        BackendRunPhase.Waiting => 0,
        BackendRunPhase.Running => 1,
        _ => 2,
    };
}
