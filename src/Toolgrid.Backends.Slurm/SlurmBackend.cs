using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Toolgrid.Backends.Slurm.Engine;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Core.Jobs;
using Toolgrid.Native.Terminals;

namespace Toolgrid.Backends.Slurm;

/// <summary>
/// Runs runs as jobs of a Slurm cluster (docs/architecture.md, "Grid backends"): each in the
/// partition of its job's queue (Toolgrid's <c>default</c> is
/// <see cref="SlurmBackendSettings.DefaultPartition"/>, any other queue the partition of that name),
/// on the node Slurm chooses: one-off, scheduled, continuous and interactive runs (the last through
/// srun on this host, see <c>SlurmBackend.Interactive.cs</c>); no ports or health checks yet.
/// </summary>
/// <remarks>
/// Each submitted run has a record in the state directory (<see cref="SubmittedRuns"/>): its job id
/// once sbatch gave it, a mark while the submission is under way, and when the grace period of a
/// stop ends. Jobs are mapped back to runs by those ids only, never by a job's name alone (any
/// user can name a job <c>tg-N</c>). A start that finds a submission mark without a job id
/// (toolgridd died during sbatch) takes the job named after the run and owned by the run's user,
/// if squeue lists one, rather than submit a second: a run is submitted at most once.
/// A stop sends SIGTERM to every process of the job; a pass after the grace period sends SIGKILL.
/// <para>
/// A run with a due time (<see cref="RunLaunch.NotBefore"/>) is held here, reported
/// <see cref="BackendRunPhase.Waiting"/>, and submitted by the first pass at or after that time,
/// not with <c>sbatch --begin</c>: slurmctld looks at a job whose begin time has come only at its
/// next periodic pass (measured: 23-26 s late on the test clusters, where a submission at the due
/// time starts in 1.4-4.4 s). The hold is kept in memory only: after a restart of toolgridd the controller starts
/// the run again (it never saw it submitted), which holds it again. A stop of a held run ends it
/// "stopped before it started".
/// </para>
/// <para>
/// While slurmctld does not answer, a start waits (<see cref="StartDeferredException"/>, "waiting
/// for the grid"), its submission mark left in place so that the next try takes the job of an
/// sbatch that reached slurmctld before it failed; a held run that falls due then stays held. Runs
/// on the nodes go on; their ends are read once squeue answers again. A job cancelled with
/// <c>scancel</c> with no stop of Toolgrid's was removed outside Toolgrid.
/// </para>
/// </remarks>
public sealed partial class SlurmBackend : IBackend, IWarningSource, IOutsideJobs, IDisposable
{
    private readonly SlurmClient _client;
    private readonly SlurmBackendSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SlurmBackend> _logger;
    private readonly SemaphoreSlim _listing = new(1, 1);
    private readonly Dictionary<long, DateTimeOffset> _missingSince = [];
    private readonly SubmittedRuns _runs;
    private readonly GridAnswers _answers;
    private readonly EngineReadPace _pace;
    private readonly InteractiveSessions _sessions;
    private long _jobCompOffset;
    private volatile IReadOnlyList<OutsideJob>? _outside;

    // Runs held until their due time, and held runs that ended without being submitted; under this lock.
    private readonly Dictionary<long, RunLaunch> _held = [];
    private readonly Dictionary<long, BackendRunReport> _endedHeld = [];

    public SlurmBackend(SlurmClient client, SlurmBackendSettings settings, TimeProvider timeProvider, ILogger<SlurmBackend> logger)
    {
        _logger = logger;
        _client = client;
        _settings = settings;
        _timeProvider = timeProvider;
        _runs = new SubmittedRuns(settings.StateDirectory);
        _sessions = new InteractiveSessions(timeProvider);
        _answers = new GridAnswers("Slurm's slurmctld", timeProvider);
        // An end is read when slurmctld writes its jobcomp record, not at the next tick.
        _pace = new EngineReadPace(client.JobCompFile, settings.PollInterval, timeProvider);
    }

    public string Name => "slurm";

    /// <summary>True: Slurm chooses the node in the run's partition; a running run's report names it.</summary>
    public bool PlacesRuns => true;

    /// <summary>While slurmctld does not answer: that, for <c>toolgrid status</c>.</summary>
    public IReadOnlyList<string> Warnings => _answers.Warnings;

    public void Dispose()
    {
        _listing.Dispose();
        _pace.Dispose();
        // As when toolgridd dies: the sessions hang up.
        _sessions.Dispose();
    }

    public string Engine => "Slurm";

    public string DeleteProgram => "scancel";

    /// <inheritdoc />
    /// <remarks>Pending and running jobs only: slurmctld keeps ended jobs listed for a while (<c>MinJobAge</c>), a forgotten run's among them.</remarks>
    public IReadOnlyList<OutsideJob>? OutsideJobs => _outside;

    public async Task<IReadOnlyList<NodeCapacity>> GetNodesAsync(CancellationToken cancellationToken) =>
        SlurmNodes.Capacity(await _client.ListNodesAsync(cancellationToken), _settings.DefaultPartition);

    /// <inheritdoc />
    /// <remarks>Slurm's own drain (<c>scontrol update State=DRAIN</c>), with the reason, which <c>sinfo -R</c> shows.</remarks>
    public async Task DrainAsync(string node, string reason, CancellationToken cancellationToken)
    {
        await DemandNodeAsync(node, cancellationToken);
        await _client.DrainAsync(node, reason, cancellationToken);
        LogNodeDrained(node, reason);
    }

    /// <inheritdoc />
    public async Task ResumeAsync(string node, CancellationToken cancellationToken)
    {
        await DemandNodeAsync(node, cancellationToken);
        await _client.ResumeAsync(node, cancellationToken);
        LogNodeResumed(node);
    }

    private async Task DemandNodeAsync(string node, CancellationToken cancellationToken)
    {
        var nodes = await _client.ListNodesAsync(cancellationToken);
        if (!nodes.Any(n => string.Equals(n.Name, node, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"the Slurm cluster has no node '{node}' (it has {string.Join(", ", nodes.Select(n => n.Name))}).", nameof(node));
        }
    }

    public async Task StartAsync(RunLaunch launch, CancellationToken cancellationToken)
    {
        if (_runs.JobOf(launch.RunId) is not null)
        {
            return;
        }

        if (launch.Interactive)
        {
            StartInteractive(launch);
            return;
        }

        try
        {
            await StartOnceAsync(launch, cancellationToken);
        }
        catch (SlurmNotAnsweringException e)
        {
            // Nothing is known to have started: the submission mark stays, and the next try looks
            // for the job of an sbatch that reached slurmctld before it failed, as after a crash.
            LogWaitingForGrid(launch.RunId, e.Message);
            throw StartDeferredException.GridNotAnswering(_answers.Master, e);
        }
    }

    private async Task StartOnceAsync(RunLaunch launch, CancellationToken cancellationToken)
    {
        if (launch.NotBefore is { } due && due > _timeProvider.GetUtcNow())
        {
            // Checked now, so that a launch that cannot be submitted fails its start, not its due time.
            _ = SlurmSubmission.For(launch, PartitionOf(launch.Queue));
            lock (_held)
            {
                if (!_endedHeld.ContainsKey(launch.RunId))
                {
                    _held.TryAdd(launch.RunId, launch);
                }
            }

            return;
        }

        await SubmitAsync(launch, cancellationToken);
    }

    /// <summary>Submits <paramref name="launch"/>, or takes the job of a submission of it cut short: at most one job per run.</summary>
    private async Task SubmitAsync(RunLaunch launch, CancellationToken cancellationToken)
    {
        try
        {
            if (_runs.WasSubmitting(launch.RunId) && await FindSubmittedAsync(launch, cancellationToken) is { } found)
            {
                _runs.Record(launch.RunId, found);
                LogSubmissionTakenUp(launch.RunId, found);
            }
            else
            {
                await SubmitNewAsync(launch, cancellationToken);
            }

            _answers.Answered();
        }
        catch (SlurmNotAnsweringException e)
        {
            _answers.NotAnswering(e.Message);
            throw;
        }
    }

    private async Task SubmitNewAsync(RunLaunch launch, CancellationToken cancellationToken)
    {
        // Built before the mark is written: a launch that cannot be submitted leaves nothing behind.
        var partition = PartitionOf(launch.Queue);
        var submission = SlurmSubmission.For(launch, partition);
        await _runs.BeginSubmittingAsync(launch.RunId, launch.UnixUser, cancellationToken);
        var jobId = await _client.SubmitAsync(submission, cancellationToken);
        _runs.Record(launch.RunId, jobId);
        LogSubmitted(launch.RunId, jobId, partition, launch.UnixUser);
    }

    public async Task StopAsync(long runId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        lock (_held)
        {
            if (_held.Remove(runId))
            {
                _endedHeld[runId] = new BackendRunReport(runId, null, BackendRunPhase.Exited, Signal: 15, Message: "stopped before it started");
                return;
            }
        }

        var killAt = _timeProvider.GetUtcNow() + gracePeriod;
        if (HangUpPending(runId))
        {
            // An interactive run still waiting for its job: srun, hung up, gives up its request.
            await _runs.StopAskedAsync(runId, killAt, cancellationToken);
            return;
        }

        if (_runs.JobOf(runId) is not { } jobId)
        {
            return;
        }

        await _runs.StopAskedAsync(runId, killAt, cancellationToken);
        LogStopping(runId, jobId, killAt);
        if (!await _client.SignalAsync(jobId, "TERM", batch: !_runs.IsInteractive(runId), cancellationToken))
        {
            // Not running: pending (it must never start), or already ended (scancel changes nothing).
            await _client.CancelAsync(jobId, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<BackendRunReport>> ListAsync(CancellationToken cancellationToken)
    {
        await _listing.WaitAsync(cancellationToken);
        try
        {
            var reports = await SubmitDueAsync(cancellationToken);
            var runs = _runs.All();
            var interactive = _runs.Interactive().ToHashSet();

            // Read even with no run of Toolgrid's: the jobs others submitted are reported (IOutsideJobs).
            IReadOnlyList<SlurmJob> listed;
            try
            {
                listed = await _client.ListJobsAsync(cancellationToken);
                _answers.Answered();
            }
            catch (SlurmNotAnsweringException e)
            {
                _answers.NotAnswering(e.Message);
                throw;
            }

            // Read again after squeue: a job it lists has its id recorded, or its submission mark, by then.
            _outside = OutsideJob.Among(
                listed.Where(j => !j.Ended).Select(j => new OutsideJob(j.Id.ToString(CultureInfo.InvariantCulture), j.Name, j.User, j.Uid)),
                _runs.All().Values.Select(id => id.ToString(CultureInfo.InvariantCulture)),
                _runs.Submitting().Concat(_runs.Interactive()).Select(SlurmSubmission.NameOf));
            var jobs = listed.ToDictionary(j => j.Id);
            foreach (var (runId, jobId) in runs.Where(pair => !interactive.Contains(pair.Key)))
            {
                if (await ReportAsync(runId, jobId, jobs.GetValueOrDefault(jobId), cancellationToken) is { } report)
                {
                    reports.Add(report);
                }
            }

            reports.AddRange(await ReportInteractiveAsync(jobs, cancellationToken));
            return reports;
        }
        finally
        {
            _listing.Release();
        }
    }

    public Task ForgetAsync(long runId, CancellationToken cancellationToken)
    {
        lock (_held)
        {
            _held.Remove(runId);
            _endedHeld.Remove(runId);
        }

        _missingSince.Remove(runId);
        ForgetInteractive(runId);
        _runs.Forget(runId);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<BackendRunReport> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = new Dictionary<long, BackendRunReport>();
        var next = EngineRead.Full;
        var awaited = new AwaitedEnds(_settings.PollInterval);
        // The file's history is the full reads' business: only what is written from now on is read.
        _jobCompOffset = _client.JobCompLength();
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<BackendRunReport> reports;
            try
            {
                // squeue, which tells a real end from a line a job's name forged in the jobcomp
                // file, is read at once when the file has the end of one of Toolgrid's jobs.
                if (next == EngineRead.Ends)
                {
                    _pace.EndsReadBegins();
                    var named = await EndedOursAsync(cancellationToken);
                    awaited.Named(named, _timeProvider.GetTimestamp());
                    if (!awaited.Any)
                    {
                        next = await _pace.WaitAsync(cancellationToken);
                        continue;
                    }
                }

                _pace.ReadBegins();
                reports = await ListAsync(cancellationToken);
                awaited.Read(reports, _timeProvider.GetTimestamp(), _timeProvider);
            }
            catch (Exception e) when (e is SlurmCommandException or SlurmOutputException or IOException)
            {
                // A slurmctld that does not answer, or output that cannot be read, is a warning: the
                // watch goes on, and what it missed comes with the next pass that succeeds.
                LogReadFailed(e, _settings.PollInterval);
                await Task.Delay(_settings.PollInterval, _timeProvider, cancellationToken);
                next = EngineRead.Full;
                continue;
            }

            foreach (var report in WatchedReports.Changed(last, reports, whole: true))
            {
                yield return report;
            }

            if (awaited.Any)
            {
                // An end the jobcomp file named is not in squeue yet (the job is completing).
                await Task.Delay(awaited.Retry, _timeProvider, cancellationToken);
                next = EngineRead.Ends;
                continue;
            }

            next = await _pace.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The runs of Toolgrid's whose jobs the jobcomp file's lines since the last look name (by their own line or a forged one: squeue decides).</summary>
    private async Task<IReadOnlyList<long>> EndedOursAsync(CancellationToken cancellationToken)
    {
        var read = await _client.ReadJobCompAsync(_jobCompOffset, cancellationToken);
        _jobCompOffset = read.NextOffset;
        var named = read.Records.Select(r => r.JobId).ToHashSet();
        return _runs.All().Where(run => named.Contains(run.Value)).Select(run => run.Key).ToList();
    }

    /// <summary>Submits the held runs whose due time has come; the reports of the runs still held or ended while held.</summary>
    private async Task<List<BackendRunReport>> SubmitDueAsync(CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        List<RunLaunch> due;
        lock (_held)
        {
            // Taken out before the submission: a stop meanwhile finds no hold and, asked again, the job.
            due = _held.Values.Where(l => l.NotBefore <= now).ToList();
            due.ForEach(l => _held.Remove(l.RunId));
        }

        foreach (var launch in due)
        {
            try
            {
                await SubmitAsync(launch, cancellationToken);
            }
            catch (SlurmNotAnsweringException e)
            {
                // Held on until slurmctld answers; its submission mark says to look for its job first.
                LogWaitingForGrid(launch.RunId, e.Message);
                lock (_held)
                {
                    _held.TryAdd(launch.RunId, launch);
                }
            }
            catch (Exception e) when (e is SlurmCommandException or SlurmOutputException or ArgumentException or IOException)
            {
                lock (_held)
                {
                    _endedHeld[launch.RunId] = new BackendRunReport(launch.RunId, null, BackendRunPhase.Exited, StartFailed: true, Message: e.Message);
                }
            }

        }

        lock (_held)
        {
            return [.. _held.Keys.Select(runId => new BackendRunReport(runId, null, BackendRunPhase.Waiting)), .. _endedHeld.Values];
        }
    }

    private async Task<BackendRunReport?> ReportAsync(long runId, long jobId, SlurmJob? job, CancellationToken cancellationToken)
    {
        var killAt = _runs.KillAt(runId);
        if (job is null)
        {
            var now = _timeProvider.GetUtcNow();
            if (!_missingSince.TryGetValue(runId, out var since))
            {
                _missingSince[runId] = now;
                return null;
            }

            return now - since < _settings.MissingWait
                ? null
                : new BackendRunReport(runId, null, BackendRunPhase.Lost, Message: $"job {jobId.ToString(CultureInfo.InvariantCulture)} left Slurm with no end seen: it ended longer ago than slurmctld keeps jobs (MinJobAge), or slurmctld lost it");
        }

        _missingSince.Remove(runId);
        if (job.Ended)
        {
            var report = SlurmEnds.Report(runId, job);
            return killAt is not null && report.Signal is not null ? report with { Message = "stopped" }
                : killAt is null && job.State == "CANCELLED" ? report with
                {
                    RemovedOutside = true,
                    Message = $"removed outside Toolgrid: job {jobId.ToString(CultureInfo.InvariantCulture)} was cancelled with scancel by its tool or an admin{(job.Node is null ? " before it started" : string.Empty)}",
                }
                : report;
        }

        if (job.Node is null)
        {
            // slurmctld has it and has not placed it yet.
            return new BackendRunReport(runId, null, BackendRunPhase.Waiting);
        }

        if (killAt is { } deadline && _timeProvider.GetUtcNow() >= deadline)
        {
            // The grace period is over: SIGKILL to whatever of the run is left.
            await _client.SignalAsync(jobId, "KILL", cancellationToken);
        }

        return new BackendRunReport(runId, job.Node, BackendRunPhase.Running, StartedAt: job.StartedAt);
    }

    private async Task<long?> FindSubmittedAsync(RunLaunch launch, CancellationToken cancellationToken)
    {
        var name = SlurmSubmission.NameOf(launch.RunId);
        var jobs = await _client.ListJobsAsync(cancellationToken);
        return jobs.Where(j => j.Name == name && j.Uid == launch.Uid).Select(j => (long?)j.Id).Max();
    }

    private string PartitionOf(string queue) => queue == Queues.Default ? _settings.DefaultPartition : queue;
}
