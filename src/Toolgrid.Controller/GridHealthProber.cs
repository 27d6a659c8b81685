using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Health;
using Toolgrid.Store;

namespace Toolgrid.Controller;

/// <summary>
/// Checks the health of the running runs an engine placed (<see cref="IBackend.PlacesRuns"/>)
/// that have an HTTP health check, from this host, at their node and port, and records each change
/// of verdict as the local backend's prober reports it (<see cref="BackendRunReport.Healthy"/>),
/// so that the proxy, the status and a drain treat them alike.
/// </summary>
/// <remarks>
/// The runs come from the store (running, with a node, a port and an HTTP check), so a restarted
/// controller carries on probing without the backend's help; the verdict follows
/// <see cref="HealthProgress"/> from the first time a run is seen running here. The check goes
/// where the proxy sends traffic (<see cref="INodeAddresses"/>): a run that does not answer there
/// on its own port is unhealthy, whatever else listens on the node. With the local backend the
/// shepherd's node checks its runs itself, and this does nothing.
/// </remarks>
public sealed partial class GridHealthProber(
    IBackend backend,
    IDbContextFactory<ToolgridDbContext> contexts,
    RunRecorder recorder,
    INodeAddresses addresses,
    TimeProvider time,
    ILogger<GridHealthProber> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    private readonly Dictionary<long, Probe> _probes = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!backend.PlacesRuns)
        {
            return;
        }

        using var http = new HttpCheck(time);
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            do
            {
                try
                {
                    await ProbeAsync(http, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogProbeFailed(e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One pass: the due checks of every probed run, concurrently; the changed verdicts recorded at once.</summary>
    private async Task ProbeAsync(HttpCheck http, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var targets = await db.Runs.AsNoTracking()
            .Where(r => r.State == RunState.Running && r.Node != null && r.Port != null)
            .Join(db.Jobs.AsNoTracking().Where(j => j.HealthCheckHttpPath != null), r => r.JobId, j => j.Id, (r, j) => new Target(r.Id, r.Node!, r.Port!.Value, j.HealthCheckHttpPath!))
            .ToListAsync(cancellationToken);

        var now = time.GetTimestamp();
        foreach (var gone in _probes.Keys.Except(targets.Select(t => t.RunId)).ToList())
        {
            _probes.Remove(gone);
        }

        foreach (var target in targets.Where(t => !_probes.ContainsKey(t.RunId)))
        {
            var check = HealthCheck.For(null, target.Path)!;
            _probes[target.RunId] = new Probe(target, new HealthProgress(check, time, now), check);
            LogProbing(target.RunId, target.Node, target.Port, target.Path);
        }

        var due = _probes.Values.Where(p => now >= p.Progress.NextDue).ToList();
        var results = await Task.WhenAll(due.Select(p => http.CheckAsync(
            addresses.Resolve(p.Target.Node),
            p.Target.Port,
            p.Target.Path,
            p.Check.Timeout,
            cancellationToken)));

        var reports = new List<BackendRunReport>();
        for (var i = 0; i < due.Count; i++)
        {
            var (target, progress, _) = due[i];
            if (progress.Record(results[i]))
            {
                LogVerdict(target.RunId, progress.Healthy == true, progress.Message ?? "");
                reports.Add(new BackendRunReport(target.RunId, target.Node, BackendRunPhase.Running, Healthy: progress.Healthy, HealthMessage: progress.Message));
            }
        }

        if (reports.Count > 0)
        {
            await recorder.RecordAsync(reports, cancellationToken);
        }
    }

    /// <summary>A run to check: where, and at which path.</summary>
    private sealed record Target(long RunId, string Node, int Port, string Path);

    private sealed record Probe(Target Target, HealthProgress Progress, HealthCheck Check);
}
