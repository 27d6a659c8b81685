using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Health;
using Toolgrid.Store;

namespace Toolgrid.Controller;

/// <summary>
/// Checks the health of the running runs an engine placed (<see cref="IBackend.PlacesRuns"/>):
/// an HTTP health check from this host, at their node and port; a health check script by the
/// results the loop in the run's own job writes on its node (<see cref="HealthLoop"/>) into the
/// tool's home, read here each tick (<see cref="ScriptResultWatch"/>). Each change of verdict is
/// recorded as the local backend's prober reports it (<see cref="BackendRunReport.Healthy"/>),
/// so that the proxy, the status, a drain and the supervisor treat them alike.
/// </summary>
/// <remarks>
/// The runs come from the store (running, with a node, and a script check or a port and an HTTP check), so a restarted
/// controller carries on probing without the backend's help; the verdict follows
/// <see cref="HealthProgress"/> from the first time a run is seen running here. The check goes
/// where the proxy sends traffic (<see cref="INodeAddresses"/>): a run that does not answer there
/// on its own port is unhealthy, whatever else listens on the node. A script run's result file is
/// removed (best effort) once the run is no longer probed here. With the local backend the
/// shepherd's node checks its runs itself, and this does nothing.
/// </remarks>
public sealed partial class GridHealthProber(
    IBackend backend,
    IDbContextFactory<ToolgridDbContext> contexts,
    RunRecorder recorder,
    INodeAddresses addresses,
    TimeProvider time,
    ILogger<GridHealthProber> logger) : BackgroundService, IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    private readonly Dictionary<long, Probe> _probes = [];
    private readonly StoreCommits _commits = new(contexts);
    private List<Target>? _targets;

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
    internal async Task ProbeAsync(HttpCheck http, CancellationToken cancellationToken)
    {
        var targets = await TargetsAsync(cancellationToken);
        var now = time.GetTimestamp();
        foreach (var gone in _probes.Keys.Except(targets.Select(t => t.RunId)).ToList())
        {
            if (_probes.Remove(gone, out var probe) && probe.Results is not null)
            {
                ScriptResultFiles.Remove(probe.Target.Home, gone, probe.Target.Uid);
            }
        }

        foreach (var target in targets.Where(t => !_probes.ContainsKey(t.RunId)))
        {
            var check = HealthCheck.For(target.Script, target.Script is null ? target.Path : null)!;
            var watch = target.Script is null ? null : new ScriptResultWatch(check, time, now);
            _probes[target.RunId] = new Probe(target, new HealthProgress(check, time, now), check, watch);
            if (watch is null)
            {
                LogProbing(target.RunId, target.Node, target.Port, target.Path!);
            }
            else
            {
                var file = ScriptResult.PathOf(target.Home, target.RunId);
                LogProbingScript(target.RunId, target.Node, file);
            }
        }

        var reports = new List<BackendRunReport>();
        foreach (var probe in _probes.Values.Where(p => p.Results is not null))
        {
            // Every tick: the loop on the node decides when checks run; here only what it wrote is taken.
            if (probe.Results!.Observe(ScriptResultFiles.Read(probe.Target.Home, probe.Target.RunId, probe.Target.Uid)) is { } result)
            {
                Record(probe, result, reports);
            }
        }

        var due = _probes.Values.Where(p => p.Results is null && now >= p.Progress.NextDue).ToList();
        var results = await Task.WhenAll(due.Select(p => http.CheckAsync(
            addresses.Resolve(p.Target.Node),
            p.Target.Port,
            p.Target.Path!,
            p.Check.Timeout,
            cancellationToken)));

        for (var i = 0; i < due.Count; i++)
        {
            Record(due[i], results[i], reports);
        }

        if (reports.Count > 0)
        {
            await recorder.RecordAsync(reports, cancellationToken);
        }
    }

    /// <summary>
    /// The runs to check, read from the store again only when something was committed to it since
    /// the last read (<see cref="StoreCommits"/>), else those of the last read: an idle grid's
    /// passes cost one <c>data_version</c> query, not a join of runs, jobs and tools.
    /// </summary>
    private async Task<List<Target>> TargetsAsync(CancellationToken cancellationToken)
    {
        // Unknown until the ask and, when it is needed, the read have succeeded.
        var known = _targets;
        _targets = null;
        if (!await _commits.SinceLastAskedAsync(cancellationToken) && known is not null)
        {
            return _targets = known;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return _targets = await db.Runs.AsNoTracking()
            .Where(r => r.State == RunState.Running && r.Node != null)
            .Join(db.Jobs.AsNoTracking(), r => r.JobId, j => j.Id, (r, j) => new { Run = r, Job = j })
            .Where(x => x.Job.HealthCheckScript != null || (x.Job.HealthCheckHttpPath != null && x.Run.Port != null))
            .Join(db.Tools.AsNoTracking(), x => x.Job.ToolName, t => t.Name, (x, t) => new Target(
                x.Run.Id, x.Run.Node!, x.Run.Port ?? 0, x.Job.HealthCheckHttpPath, x.Job.HealthCheckScript, t.Home, t.Uid))
            .ToListAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _commits.DisposeAsync();
        Dispose();
    }

    /// <summary>Records <paramref name="result"/> for <paramref name="probe"/>, and a report when the verdict changed.</summary>
    private void Record(Probe probe, CheckResult result, List<BackendRunReport> reports)
    {
        var (target, progress, _, _) = probe;
        if (progress.Record(result))
        {
            LogVerdict(target.RunId, progress.Healthy == true, progress.Message ?? "");
            reports.Add(new BackendRunReport(target.RunId, target.Node, BackendRunPhase.Running, Healthy: progress.Healthy, HealthMessage: progress.Message));
        }
    }

    /// <summary>A run to check: where, and how (at which path, or by its script's results in its tool's home).</summary>
    private sealed record Target(long RunId, string Node, int Port, string? Path, string? Script, string Home, int Uid);

    /// <summary>A probed run; <paramref name="Results"/> is set when its check is a script, run on its node.</summary>
    private sealed record Probe(Target Target, HealthProgress Progress, HealthCheck Check, ScriptResultWatch? Results);
}
