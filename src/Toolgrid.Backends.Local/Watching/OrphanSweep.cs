using Microsoft.Extensions.Logging;
using Toolgrid.Backends.Local.Cgroups;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Backends.Local.Watching;

/// <summary>
/// The orphan sweep: the runs' cgroups under the parent that no run file (nor a descriptor the
/// backend keeps) names, as when a run file was deleted (or renamed) before this backend saw it.
/// One whose shepherd still holds the file is adopted from that shepherd and reported as any
/// other run; what is in any other is stopped (SIGTERM, then SIGKILL after a grace period) and
/// reported lost, so that nothing of a run runs on that nobody can see, stop or replace safely.
/// </summary>
internal sealed partial class OrphanSweep(
    CgroupVersion version,
    string cgroupParent,
    RunCatalog catalog,
    RunInspector inspector,
    string nodeName,
    TimeProvider timeProvider,
    ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Sweeps once (one sweep at a time); the reports of the runs it adopted or stopped.</summary>
    public async Task<List<BackendRunReport>> SweepAsync(CancellationToken cancellationToken)
    {
        var reports = new List<BackendRunReport>();
        if (version == CgroupVersion.None)
        {
            return reports;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var (runId, directories) in RunCgroups.Find(version, cgroupParent))
            {
                // Cgroups are made by a shepherd for a run file that exists: one seen now is the run's.
                if (catalog.Find(runId) is not null)
                {
                    continue;
                }

                var pids = CgroupKiller.Pids(directories);
                if (pids.Count > 0 && RunCgroups.Parents(pids.ToHashSet()).Any(parent => catalog.TryAdopt(runId, parent)))
                {
                    if (await inspector.InspectAsync(runId, cancellationToken) is { } report)
                    {
                        reports.Add(report);
                    }

                    continue;
                }

                var stopped = await CgroupKiller.StopAndRemoveAsync(directories, StopOrphan.GracePeriod, timeProvider, cancellationToken);
                if (pids.Count > 0)
                {
                    Log.OrphanStopped(logger, runId, stopped);
                    reports.Add(new BackendRunReport(
                        runId,
                        nodeName,
                        BackendRunPhase.Lost,
                        Message: "its run file was deleted and no shepherd has it any more: its processes were stopped; how it ended is unknown"));
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return reports;
    }

    public void Dispose() => _gate.Dispose();
}
