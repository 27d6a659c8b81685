using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Toolgrid.Backends.GridEngine.Engine;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Core.Jobs;
using Toolgrid.Native.Terminals;

namespace Toolgrid.Backends.GridEngine;

/// <summary>
/// Runs runs as jobs of a Son of Grid Engine cell (docs/architecture.md, "Grid backends"): each in
/// the cluster queue of its job's queue (Toolgrid's <c>default</c> is
/// <see cref="GridEngineBackendSettings.DefaultQueue"/>, any other queue the cluster queue of that
/// name), on the node SGE chooses; interactive runs through qrsh on this host (see
/// <c>GridEngineBackend.Interactive.cs</c>).
/// </summary>
/// <remarks>
/// Each submitted run has a record in the state directory, <c>&lt;runId&gt;</c>, holding the job id
/// qsub gave, written once the submission is done; <c>&lt;runId&gt;.submitting</c> is there while it is
/// under way, and <c>&lt;runId&gt;.stop</c> once a stop was asked. Engine jobs are mapped back to runs by
/// those ids only, never by a job's name alone (a tool can name its own jobs anything). A start
/// that finds <c>.submitting</c> without a record (toolgridd died during qsub) looks for a job
/// named after the run and owned by the run's user, pending, running or ended, and takes it
/// rather than submit a second one: a run is submitted at most once.
/// <para>
/// While the qmaster does not answer, a start waits (<see cref="StartDeferredException"/>, "waiting
/// for the grid"), leaving <c>.submitting</c> in place, so that the next try takes the job of a qsub
/// that reached the qmaster before it failed; runs on the nodes go on, and their ends are read
/// from the accounting file once qstat answers again. <c>&lt;runId&gt;.removed</c> marks a job seen
/// being deleted with no stop of Toolgrid's (a <c>qdel</c> outside Toolgrid); <c>&lt;runId&gt;.lost</c>
/// holds the report of a run whose node stayed unknown for <see cref="GridEngineBackendSettings.NodeLostAfter"/>
/// and whose job was then deleted with <c>qdel -f</c>.
/// </para>
/// </remarks>
public sealed partial class GridEngineBackend : IBackend, IWarningSource, IOutsideJobs, IDisposable
{
    private readonly SgeClient _client;
    private readonly GridEngineBackendSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<GridEngineBackend> _logger;
    private readonly SemaphoreSlim _listing = new(1, 1);
    private readonly Dictionary<long, SgeAccountingRecord> _ends = [];
    private readonly Dictionary<long, DateTimeOffset> _missingSince = [];
    private readonly Dictionary<long, DateTimeOffset> _unknownSince = [];
    private readonly Dictionary<long, string> _lastNode = [];
    private readonly Dictionary<long, DateTimeOffset> _reapAskedAt = [];
    private readonly Dictionary<long, DateTimeOffset> _reapBackAt = [];
    private readonly GridAnswers _answers;
    private readonly EngineReadPace _pace;
    private readonly InteractiveSessions _sessions;
    private readonly ExecdProbe? _probe;
    private long _accountingOffset;
    private volatile IReadOnlyList<OutsideJob>? _outside;

    // Since when qstat has answered without a break; null while it does not (or before the first read).
    private DateTimeOffset? _answeringSince;

    public GridEngineBackend(SgeClient client, GridEngineBackendSettings settings, TimeProvider timeProvider, ILogger<GridEngineBackend> logger)
    {
        _logger = logger;
        _client = client;
        _settings = settings;
        _timeProvider = timeProvider;
        _answers = new GridAnswers("Grid Engine's qmaster" + (client.QmasterHost() is { } host ? " " + host : string.Empty), timeProvider);
        // An end is read when the qmaster writes its accounting record, not at the next tick.
        _pace = new EngineReadPace(client.AccountingFile, settings.PollInterval, timeProvider);
        _sessions = new InteractiveSessions(timeProvider);
        _probe = settings.ExecdProbePort is { } port ? new ExecdProbe(port, settings.PollInterval, timeProvider) : null;
        Directory.CreateDirectory(settings.StateDirectory);
        File.SetUnixFileMode(settings.StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Name => "gridengine";

    /// <summary>True: SGE chooses the node in the run's queue; a running run's report names it.</summary>
    public bool PlacesRuns => true;

    /// <summary>While the qmaster does not answer: that, for <c>toolgrid status</c>.</summary>
    public IReadOnlyList<string> Warnings => _answers.Warnings;

    public void Dispose()
    {
        _listing.Dispose();
        _pace.Dispose();
        // As when toolgridd dies: the sessions hang up.
        _sessions.Dispose();
    }

    public string Engine => "Grid Engine";

    public string DeleteProgram => "qdel";

    /// <inheritdoc />
    /// <remarks>Jobs being deleted are left out: they are on their way out (and a run's job can linger so after its end was read).</remarks>
    public IReadOnlyList<OutsideJob>? OutsideJobs => _outside;

    /// <inheritdoc />
    /// <remarks>
    /// <c>qhost</c> and <c>qstat</c> run at once: each is a client of the qmaster that takes tens of
    /// milliseconds (more on a busy host), and a controller pass reads the nodes before it hands a
    /// new run to qsub, so one after the other they delayed every submit by both.
    /// </remarks>
    public async Task<IReadOnlyList<NodeCapacity>> GetNodesAsync(CancellationToken cancellationToken)
    {
        var hosts = _client.ListHostsAsync(cancellationToken);
        var state = _client.ReadStateAsync(cancellationToken);
        await Task.WhenAll(hosts, state);
        return SgeNodes.Capacity(await hosts, (await state).QueueInstances, SilentHosts);
    }

    /// <summary>The hosts whose execd the last probe found silent; none without a probe.</summary>
    private IReadOnlySet<string> SilentHosts => _probe?.Silent ?? EmptyHosts;

    /// <summary>The hosts whose execd answered the probe at least once (only those can be found silent).</summary>
    internal IReadOnlySet<string> ExecdsHeard => _probe?.Heard ?? EmptyHosts;

    private static readonly IReadOnlySet<string> EmptyHosts = new HashSet<string>(StringComparer.Ordinal);

    /// <inheritdoc />
    /// <remarks>The engine's own drain: every queue instance of the host disabled (<c>qmod -d '*@HOST'</c>). SGE keeps no reason; Toolgrid's store does.</remarks>
    public async Task DrainAsync(string node, string reason, CancellationToken cancellationToken)
    {
        await DemandNodeAsync(node, cancellationToken);
        await _client.SetHostEnabledAsync(node, enable: false, cancellationToken);
        LogNodeDrained(node, reason);
    }

    /// <inheritdoc />
    public async Task ResumeAsync(string node, CancellationToken cancellationToken)
    {
        await DemandNodeAsync(node, cancellationToken);
        await _client.SetHostEnabledAsync(node, enable: true, cancellationToken);
        LogNodeResumed(node);
    }

    private async Task DemandNodeAsync(string node, CancellationToken cancellationToken)
    {
        var nodes = await GetNodesAsync(cancellationToken);
        if (!nodes.Any(n => string.Equals(n.Name, node, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"the Grid Engine cell has no execution host '{node}' with a queue instance (it has {string.Join(", ", nodes.Select(n => n.Name))}).", nameof(node));
        }
    }

    public async Task StartAsync(RunLaunch launch, CancellationToken cancellationToken)
    {
        if (JobOf(launch.RunId) is not null)
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
            await SubmitOnceAsync(launch, cancellationToken);
            _answers.Answered();
        }
        catch (SgeNotAnsweringException e)
        {
            // Nothing is known to have started: .submitting stays, and the next try looks for the
            // job of a qsub that reached the qmaster before it failed, as after a crash.
            _answers.NotAnswering(e.Message);
            LogWaitingForGrid(launch.RunId, e.Message);
            throw StartDeferredException.GridNotAnswering(_answers.Master, e);
        }
    }

    private async Task SubmitOnceAsync(RunLaunch launch, CancellationToken cancellationToken)
    {
        var submitting = PathOf(launch.RunId, ".submitting");
        if (File.Exists(submitting) && await FindSubmittedAsync(launch, cancellationToken) is { } found)
        {
            Record(launch.RunId, found);
            File.Delete(submitting);
            LogSubmissionTakenUp(launch.RunId, found);
            return;
        }

        await File.WriteAllTextAsync(submitting, launch.UnixUser, cancellationToken);
        var queue = ClusterQueueOf(launch.Queue);
        var jobNumber = await _client.SubmitAsync(SgeSubmission.For(launch, queue) with { AvoidHosts = SilentHosts.ToList() }, cancellationToken);
        Record(launch.RunId, jobNumber);
        File.Delete(submitting);
        LogSubmitted(launch.RunId, jobNumber, queue, launch.UnixUser);
    }

    public async Task StopAsync(long runId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        // The grace period is the job script's (from the launch): qdel only gives it the signal.
        if (await HangUpPendingAsync(runId, cancellationToken) || JobOf(runId) is not { } jobNumber)
        {
            return;
        }

        await File.WriteAllTextAsync(PathOf(runId, ".stop"), string.Empty, cancellationToken);
        LogStopping(runId, jobNumber);
        await _client.DeleteAsync(jobNumber, cancellationToken);
    }

    public async Task<IReadOnlyList<BackendRunReport>> ListAsync(CancellationToken cancellationToken)
    {
        await _listing.WaitAsync(cancellationToken);
        try
        {
            var interactive = Marked(".interactive").ToHashSet();
            var runs = Records();

            // qstat first, then the accounting file: a job that leaves qstat in between has its record by then.
            SgeClusterState state;
            try
            {
                state = await _client.ReadStateAsync(cancellationToken);
                _answers.Answered();
                _answeringSince ??= _timeProvider.GetUtcNow();
            }
            catch (SgeNotAnsweringException e)
            {
                _answers.NotAnswering(e.Message);
                _answeringSince = null;
                throw;
            }

            // Read even with no run of Toolgrid's: the jobs others submitted are reported (IOutsideJobs).
            // The records are read again after qstat: a job it lists has its record, or its .submitting, by then.
            _outside = OutsideJob.Among(
                state.Jobs.Where(j => !j.Deleting).Select(j => new OutsideJob(j.Number.ToString(CultureInfo.InvariantCulture), j.Name, j.Owner, null)),
                Records().Values.Concat(Reaping().Select(r => r.JobNumber)).Select(n => n.ToString(CultureInfo.InvariantCulture)),
                Marked(".submitting").Concat(interactive).Select(SgeSubmission.NameOf));
            // Probed with no run too: a node found silent stays down (and kept off) until a probe hears it again.
            var silent = ProbeExecds(state, runs.Values);
            if (runs.Count == 0 && interactive.Count == 0 && !Reaping().Any())
            {
                return [];
            }

            // An interactive run's job is found by its name: recorded before the accounting file is read.
            RecordInteractiveJobs(interactive, state.Jobs.Select(j => (j.Number, j.Name, j.Owner)));
            var jobs = state.Jobs.ToDictionary(j => j.Number);
            var unknownHosts = UnknownInstances(state, silent);
            await ReadEndsAsync(interactive, cancellationToken);
            runs = Records();
            var reports = new List<BackendRunReport>();
            foreach (var (runId, jobNumber) in runs.Where(pair => !interactive.Contains(pair.Key)))
            {
                if (await ReportAsync(runId, jobNumber, jobs.GetValueOrDefault(jobNumber), unknownHosts, cancellationToken) is { } report)
                {
                    reports.Add(report);
                }
            }

            foreach (var runId in interactive)
            {
                var job = runs.TryGetValue(runId, out var number) ? jobs.GetValueOrDefault(number) : null;
                if (await ReportInteractiveAsync(runId, job, () => ReportAsync(runId, number, job, unknownHosts, cancellationToken), cancellationToken) is { } report)
                {
                    reports.Add(report);
                }
            }

            await ReapAsync(jobs, state.QueueInstances, unknownHosts, silent, cancellationToken);

            return reports;
        }
        finally
        {
            _listing.Release();
        }
    }

    /// <summary>
    /// The hosts whose execd the last probe found silent (<see cref="ExecdProbe"/>), and the next
    /// probe started: of the hosts that run Toolgrid's jobs, of those found silent before until
    /// they answer (a job submitted again keeps off them until then), and of the cell's hosts not
    /// heard yet (only a host heard before can be found silent).
    /// </summary>
    private IReadOnlySet<string> ProbeExecds(SgeClusterState state, IEnumerable<long> ours)
    {
        if (_probe is null)
        {
            return EmptyHosts;
        }

        var jobs = ours.ToHashSet();
        var hosts = state.Jobs.Where(j => jobs.Contains(j.Number) && j.Node is not null).Select(j => j.Node!)
            .Concat(_probe.Silent)
            .Concat(Reaping().Select(r => r.Host))
            .ToHashSet(StringComparer.Ordinal);
        var before = _probe.Silent;
        _probe.Probe(hosts, state.QueueInstances.Select(q => q.Host));
        foreach (var host in _probe.Silent.Except(before))
        {
            LogExecdSilent(host, _settings.PollInterval);
        }

        foreach (var host in before.Except(_probe.Silent))
        {
            LogExecdAnswers(host);
        }

        return _probe.Silent;
    }

    /// <summary>
    /// The queue instances whose host is unknown, each with whether the qmaster says so (true) or
    /// only the probe finds its execd silent (false).
    /// </summary>
    private static Dictionary<string, bool> UnknownInstances(SgeClusterState state, IReadOnlySet<string> silent)
    {
        var unknown = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var instance in state.QueueInstances.Where(q => q.Unknown || silent.Contains(q.Host)))
        {
            unknown[instance.Name] = instance.Unknown;
        }

        return unknown;
    }

    /// <summary>
    /// Deletes the jobs of runs recorded lost while only the probe found their execd silent
    /// (<c>&lt;runId&gt;.reap</c>, kept past the run's forgetting; a plain <c>qdel</c> was asked
    /// then): with <c>qdel -f</c> once the qmaster marks the host unknown, or when the job is still
    /// being deleted <see cref="GridEngineBackendSettings.AccountingWait"/> after the execd answers
    /// again; a job listed and not being deleted (put back to run elsewhere) gets a <c>qdel</c> again.
    /// Once qstat no longer lists the job, the mark stays until its host is back (<see cref="AfterReapAsync"/>).
    /// </summary>
    private async Task ReapAsync(Dictionary<long, SgeJob> jobs, IReadOnlyList<SgeQueueInstance> queueInstances, Dictionary<string, bool> unknownHosts, IReadOnlySet<string> silent, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var (runId, jobNumber, host) in Reaping().ToList())
        {
            if (jobs.GetValueOrDefault(jobNumber) is not { } job)
            {
                await AfterReapAsync(runId, jobNumber, host, queueInstances, silent, now, cancellationToken);
                continue;
            }

            // Still on the silent host: forced once the qmaster marks it unknown, or once its execd,
            // back, has not confirmed the end AccountingWait after the qdel. Put back elsewhere (a
            // job the qmaster requeued before the qdel reached it): deleted there.
            var onHost = job.Node == host;
            var unknownToQmaster = onHost && job.Queue is { } queue && unknownHosts.GetValueOrDefault(SgeQueueInstance.NameOf(queue, host));
            var waited = _reapAskedAt.TryGetValue(runId, out var asked) && now - asked >= _settings.AccountingWait;
            var force = unknownToQmaster || (job.Deleting && waited && !(onHost && silent.Contains(host)));
            if (!force && job.Deleting)
            {
                continue;
            }

            _reapAskedAt[runId] = now;
            try
            {
                await (force ? _client.ForceDeleteAsync(jobNumber, cancellationToken) : _client.DeleteAsync(jobNumber, cancellationToken));
            }
            catch (SgeCommandException e)
            {
                LogReapFailed(e, runId, jobNumber, host);
            }
        }
    }

    /// <summary>
    /// A reaped job gone from qstat: once its host is back, and for <see cref="GridEngineBackendSettings.AccountingWait"/>
    /// after (the qmaster hears the execd's report of the job after the execd takes connections),
    /// the host's queue instances the qmaster put in error because of the job are cleared
    /// (<see cref="SgeReaping"/>); then the mark goes. A host taken out of the cell ends it at once.
    /// </summary>
    private async Task AfterReapAsync(long runId, long jobNumber, string host, IReadOnlyList<SgeQueueInstance> queueInstances, IReadOnlySet<string> silent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (hostReturn, inError) = SgeReaping.AfterJobGone(jobNumber, host, queueInstances, silent);
        if (hostReturn == SgeHostReturn.NotBack)
        {
            _reapBackAt.Remove(runId);
            return;
        }

        var cleared = true;
        foreach (var instance in inError)
        {
            try
            {
                await _client.ClearErrorAsync(instance.Name, cancellationToken);
                LogErrorCleared(instance.Name, jobNumber, runId);
            }
            catch (SgeCommandException e)
            {
                LogReapFailed(e, runId, jobNumber, host);
                cleared = false;
            }
        }

        var since = _reapBackAt.TryGetValue(runId, out var at) ? at : _reapBackAt[runId] = now;
        if (cleared && (now - since >= _settings.AccountingWait || hostReturn == SgeHostReturn.LeftCell))
        {
            File.Delete(PathOf(runId, ".reap"));
            _reapAskedAt.Remove(runId);
            _reapBackAt.Remove(runId);
        }
    }

    /// <summary>The jobs to delete once the qmaster or their execd allows it (<see cref="ReapAsync"/>).</summary>
    private IEnumerable<(long RunId, long JobNumber, string Host)> Reaping()
    {
        foreach (var runId in Marked(".reap"))
        {
            var parts = ReadText(PathOf(runId, ".reap"))?.Split(' ', 2);
            if (parts is [var number, var host] && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var jobNumber))
            {
                yield return (runId, jobNumber, host);
            }
        }
    }

    /// <summary>
    /// The ends the accounting file gained since the last read, without <c>qstat</c>: those that
    /// need nothing else to be told (<see cref="SgeEnds.KnownWithoutQstat"/>); the others wait for
    /// the next full read (<see cref="ListAsync"/>), which has them from here.
    /// </summary>
    private async Task<IReadOnlyList<BackendRunReport>> ListEndsAsync(CancellationToken cancellationToken)
    {
        await _listing.WaitAsync(cancellationToken);
        try
        {
            var interactive = Marked(".interactive").ToHashSet();
            var records = await ReadEndsAsync(interactive, cancellationToken);
            var runs = Records();
            var reports = new List<BackendRunReport>();
            foreach (var record in records)
            {
                // An interactive run's end waits for its session (the full read has it).
                // A run forgotten since the ends were read (its end recorded) has no record left.
                var runId = runs.FirstOrDefault(pair => pair.Value == record.JobNumber).Key;
                if (runId == 0 || interactive.Contains(runId) || ReadLost(runId) is not null)
                {
                    continue;
                }

                var stopped = File.Exists(PathOf(runId, ".stop"));
                var report = SgeEnds.Report(runId, record);
                if (SgeEnds.KnownWithoutQstat(report, stopped, File.Exists(PathOf(runId, ".removed"))))
                {
                    _missingSince.Remove(runId);
                    reports.Add(stopped && report.Signal is not null ? report with { Message = "stopped" } : report);
                }
            }

            return reports;
        }
        finally
        {
            _listing.Release();
        }
    }

    /// <summary>
    /// The accounting file's new records of the jobs of Toolgrid's runs, kept for their reports;
    /// an <paramref name="interactive"/> run's job not yet known is found here by its name first
    /// (it may have ended before <c>qstat</c> listed it).
    /// </summary>
    private async Task<List<SgeAccountingRecord>> ReadEndsAsync(HashSet<long> interactive, CancellationToken cancellationToken)
    {
        var read = await _client.ReadAccountingAsync(_accountingOffset, cancellationToken);
        _accountingOffset = read.NextOffset;
        RecordInteractiveJobs(interactive, read.Records.Select(r => (r.JobNumber, r.JobName, r.Owner)));
        var ours = Records().Values.ToHashSet();
        var records = read.Records.Where(r => ours.Contains(r.JobNumber)).ToList();
        foreach (var record in records)
        {
            _ends[record.JobNumber] = record;
        }

        return records;
    }

    public async Task ForgetAsync(long runId, CancellationToken cancellationToken)
    {
        // The reads (of the watch, another thread) use what is forgotten here: not during one.
        await _listing.WaitAsync(cancellationToken);
        try
        {
            if (JobOf(runId) is { } jobNumber)
            {
                _ends.Remove(jobNumber);
            }

            _missingSince.Remove(runId);
            _unknownSince.Remove(runId);
            _lastNode.Remove(runId);
            _sessions.Forget(runId);
            foreach (var suffix in Suffixes)
            {
                File.Delete(PathOf(runId, suffix));
            }
        }
        finally
        {
            _listing.Release();
        }
    }

    public async IAsyncEnumerable<BackendRunReport> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = new Dictionary<long, BackendRunReport>();
        var next = EngineRead.Full;
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<BackendRunReport> reports;
            try
            {
                // An end the accounting file gained is reported from its line at once; qstat waits for the interval.
                if (next == EngineRead.Ends)
                {
                    _pace.EndsReadBegins();
                    reports = await ListEndsAsync(cancellationToken);
                }
                else
                {
                    _pace.ReadBegins();
                    reports = await ListAsync(cancellationToken);
                }
            }
            catch (Exception e) when (e is SgeCommandException or SgeOutputException or IOException)
            {
                // A qmaster that does not answer, or output that cannot be read, is a warning: the
                // watch goes on, and what it missed comes with the next pass that succeeds.
                LogReadFailed(e, _settings.PollInterval);
                await Task.Delay(_settings.PollInterval, _timeProvider, cancellationToken);
                next = EngineRead.Full;
                continue;
            }

            foreach (var report in WatchedReports.Changed(last, reports, whole: next == EngineRead.Full))
            {
                yield return report;
            }

            next = await _pace.WaitAsync(cancellationToken);
        }
    }

    private async Task<BackendRunReport?> ReportAsync(long runId, long jobNumber, SgeJob? job, Dictionary<string, bool> unknownHosts, CancellationToken cancellationToken)
    {
        if (ReadLost(runId) is { } lost)
        {
            return lost;
        }

        var stopped = File.Exists(PathOf(runId, ".stop"));
        if (job is { Deleting: true } && !stopped && !File.Exists(PathOf(runId, ".removed")))
        {
            // Being deleted, and not by Toolgrid: someone ran qdel. The accounting record will not say who.
            await File.WriteAllTextAsync(PathOf(runId, ".removed"), string.Empty, cancellationToken);
            LogRemovedOutside(runId, jobNumber);
        }

        var removed = !stopped && File.Exists(PathOf(runId, ".removed"));
        if (_ends.TryGetValue(jobNumber, out var end))
        {
            _missingSince.Remove(runId);
            var report = SgeEnds.Report(runId, end);
            if (report.StartFailed && job is not null)
            {
                // SGE keeps a job it could not start pending in error (Eqw): it would only wait there.
                await _client.DeleteAsync(jobNumber, cancellationToken);
                LogStartFailedDeleted(runId, jobNumber);
            }

            return stopped && report.Signal is not null ? report with { Message = "stopped" }
                : removed && report is { Phase: BackendRunPhase.Exited, StartFailed: false } ? report with { RemovedOutside = true, Message = $"removed outside Toolgrid: job {jobNumber.ToString(CultureInfo.InvariantCulture)} was deleted with qdel by its tool or an admin ({Ended(report)})" }
                : report;
        }

        if (job is not null)
        {
            _missingSince.Remove(runId);
            if (job.Pending || job.Node is null)
            {
                // The qmaster has it and has not placed it yet (or holds it until its due time).
                return new BackendRunReport(runId, null, BackendRunPhase.Waiting);
            }

            var running = new BackendRunReport(runId, job.Node, BackendRunPhase.Running, StartedAt: job.StartedAt);
            return job.Queue is { } queue && unknownHosts.TryGetValue(SgeQueueInstance.NameOf(queue, job.Node), out var unknownToQmaster)
                ? await OnUnknownNodeAsync(running, jobNumber, unknownToQmaster, cancellationToken)
                : ClearUnknown(running);
        }

        if (_unknownSince.Remove(runId, out var unknownSince) && _lastNode.Remove(runId, out var deadNode))
        {
            // Last seen on a node the qmaster no longer heard from, and gone: reaped by the qmaster
            // (reschedule_unknown). A dead node writes no accounting record.
            var reaped = Lost(runId, deadNode, $"Grid Engine removed job {jobNumber.ToString(CultureInfo.InvariantCulture)} (reschedule_unknown)");
            await File.WriteAllTextAsync(PathOf(runId, ".lost"), JsonSerializer.Serialize(reaped), cancellationToken);
            LogNodeLost(runId, jobNumber, deadNode, _timeProvider.GetUtcNow() - unknownSince);
            return reaped;
        }

        // Neither listed nor ended: deleted while pending, or reaped from a dead node; or a job that
        // has left qstat and whose accounting record this pass did not see yet, which must not be
        // taken for either: it must stay missing for a while first.
        var now = _timeProvider.GetUtcNow();
        if (!_missingSince.TryGetValue(runId, out var since))
        {
            _missingSince[runId] = now;
            return null;
        }

        if (now - since < _settings.AccountingWait)
        {
            return null;
        }

        return stopped
            ? new BackendRunReport(runId, null, BackendRunPhase.Exited, Signal: 15, Message: "stopped before it started")
            : removed
            ? new BackendRunReport(runId, null, BackendRunPhase.Exited, Signal: 15, RemovedOutside: true, Message: $"removed outside Toolgrid before it started: job {jobNumber.ToString(CultureInfo.InvariantCulture)} was deleted with qdel by its tool or an admin")
            : new BackendRunReport(runId, null, BackendRunPhase.Lost, Message: $"job {jobNumber.ToString(CultureInfo.InvariantCulture)} left Grid Engine with no accounting record: its node was lost, or it was deleted before it started");
    }

    /// <summary>
    /// A run on a node the qmaster no longer hears from: running until that has lasted
    /// <see cref="GridEngineBackendSettings.NodeLostAfter"/>, then lost, and its job deleted with
    /// <c>qdel -f</c> so that the qmaster forgets it (a plain qdel would wait for the dead execd).
    /// The lost report is kept (<c>.lost</c>) until the run is forgotten.
    /// </summary>
    /// <remarks>
    /// A qmaster that was not answering, restarted perhaps, hears from each execd only once that
    /// execd registers again (checked: 24-31 s after a restart, all that time <c>u</c>); so the
    /// time a node is unknown counts only from <see cref="GridEngineBackendSettings.NodeLostAfter"/>
    /// after qstat answers again, and a restart of the qmaster loses no run.
    /// </remarks>
    private async Task<BackendRunReport> OnUnknownNodeAsync(BackendRunReport running, long jobNumber, bool unknownToQmaster, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        _lastNode[running.RunId] = running.Node ?? string.Empty;
        var first = _unknownSince.TryGetValue(running.RunId, out var seen) ? seen : _unknownSince[running.RunId] = now;
        var answering = (_answeringSince ?? now) + _settings.NodeLostAfter;
        var since = first > answering ? first : answering;
        if (now - since < _settings.NodeLostAfter)
        {
            return running;
        }

        var number = jobNumber.ToString(CultureInfo.InvariantCulture);
        if (!unknownToQmaster)
        {
            // Only the probe finds it silent: qdel -f now would crash SGE 8.1.9's qmaster (checked:
            // "got NULL element for JB_type"). A plain qdel is safe and marks the job for deletion,
            // so that the qmaster does not put it back to run elsewhere when the execd, back,
            // reports it failed; it is forced once the qmaster marks the host unknown (ReapAsync).
            var silent = Lost(running.RunId, running.Node ?? string.Empty, $"its execd did not take a connection on port {_settings.ExecdProbePort?.ToString(CultureInfo.InvariantCulture)} for {Duration.Format(now - first)}; job {number} deleted (qdel; qdel -f once the qmaster marks the node unknown)") with { StartedAt = running.StartedAt };
            await File.WriteAllTextAsync(PathOf(running.RunId, ".reap"), number + " " + running.Node, cancellationToken);
            await File.WriteAllTextAsync(PathOf(running.RunId, ".lost"), JsonSerializer.Serialize(silent), cancellationToken);
            LogNodeLost(running.RunId, jobNumber, silent.Node ?? string.Empty, now - first);
            _reapAskedAt[running.RunId] = now;
            try
            {
                await _client.DeleteAsync(jobNumber, cancellationToken);
            }
            catch (SgeCommandException e)
            {
                // Seen on a loaded host: "root unable to sync state with remote execd for the
                // deletion of job N". The run is lost all the same; ReapAsync asks again.
                LogReapFailed(e, running.RunId, jobNumber, running.Node ?? string.Empty);
            }

            return silent;
        }

        var lost = Lost(running.RunId, running.Node ?? string.Empty, $"job {number} deleted (qdel -f) after its node was unknown to the qmaster for {Duration.Format(now - first)}") with { StartedAt = running.StartedAt };
        await File.WriteAllTextAsync(PathOf(running.RunId, ".lost"), JsonSerializer.Serialize(lost), cancellationToken);
        LogNodeLost(running.RunId, jobNumber, lost.Node ?? string.Empty, now - first);
        await _client.ForceDeleteAsync(jobNumber, cancellationToken);
        return lost;
    }

    private static BackendRunReport Lost(long runId, string node, string what) =>
        new(runId, node, BackendRunPhase.Lost, NodeLost: true, Message: $"its node {node} stopped answering: {what}; how the run ended is unknown");

    private BackendRunReport ClearUnknown(BackendRunReport running)
    {
        _unknownSince.Remove(running.RunId);
        _lastNode.Remove(running.RunId);
        return running;
    }

    private BackendRunReport? ReadLost(long runId)
    {
        try
        {
            return JsonSerializer.Deserialize<BackendRunReport>(File.ReadAllText(PathOf(runId, ".lost")));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static string Ended(BackendRunReport report) =>
        report.Signal is { } signal ? $"killed by signal {signal.ToString(CultureInfo.InvariantCulture)} ({Contracts.Runs.Signals.Name(signal)})" : $"exit code {report.ExitCode?.ToString(CultureInfo.InvariantCulture)}";

    private string ClusterQueueOf(string queue) => queue == Queues.Default ? _settings.DefaultQueue : queue;

    private async Task<long?> FindSubmittedAsync(RunLaunch launch, CancellationToken cancellationToken)
    {
        var name = SgeSubmission.NameOf(launch.RunId);
        var state = await _client.ReadStateAsync(cancellationToken);
        if (state.Jobs.FirstOrDefault(j => j.Name == name && j.Owner == launch.UnixUser) is { } listed)
        {
            return listed.Number;
        }

        var ended = await _client.ReadAccountingAsync(0, cancellationToken);
        return ended.Records.LastOrDefault(r => r.JobName == name && r.Owner == launch.UnixUser)?.JobNumber;
    }

    private Dictionary<long, long> Records()
    {
        var records = new Dictionary<long, long>();
        foreach (var path in Directory.EnumerateFiles(_settings.StateDirectory))
        {
            if (long.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out var runId) && JobOf(runId) is { } jobNumber)
            {
                records[runId] = jobNumber;
            }
        }

        return records;
    }

    /// <summary>The runs with a <c>&lt;runId&gt;&lt;suffix&gt;</c> file.</summary>
    private IEnumerable<long> Marked(string suffix)
    {
        foreach (var path in Directory.EnumerateFiles(_settings.StateDirectory, "*" + suffix))
        {
            if (long.TryParse(Path.GetFileName(path).AsSpan()[..^suffix.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var runId))
            {
                yield return runId;
            }
        }
    }

    private long? JobOf(long runId) =>
        ReadText(PathOf(runId, string.Empty)) is { } text && long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var jobNumber) ? jobNumber : null;

    /// <summary>A file of the state directory; null when there is none.</summary>
    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private void Record(long runId, long jobNumber)
    {
        var temporary = PathOf(runId, ".tmp");
        File.WriteAllText(temporary, jobNumber.ToString(CultureInfo.InvariantCulture));
        File.Move(temporary, PathOf(runId, string.Empty), overwrite: true);
    }

    private static readonly string[] Suffixes = [string.Empty, ".stop", ".submitting", ".removed", ".lost", ".interactive", ".qrsh"];

    private string PathOf(long runId, string suffix) =>
        Path.Combine(_settings.StateDirectory, runId.ToString(CultureInfo.InvariantCulture) + suffix);
}
