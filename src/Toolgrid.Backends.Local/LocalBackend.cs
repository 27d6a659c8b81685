using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolgrid.Backends.Local.Cgroups;
using Toolgrid.Backends.Local.Health;
using Toolgrid.Backends.Local.Isolation;
using Toolgrid.Backends.Local.Native;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Backends.Local.Watching;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Core.Supervision;
using Toolgrid.Native;
using Toolgrid.Native.Users;

namespace Toolgrid.Backends.Local;

/// <summary>The local backend: runs runs on this host, each under its own shepherd (<c>tg-shepherd</c>) and cgroup.</summary>
/// <remarks>
/// <para>
/// Everything the backend knows of a run is in the run's file, <c>&lt;RunDirectory&gt;/&lt;runId&gt;</c>
/// (<see cref="RunFile"/>): the spec, written by the backend, then the started and exit records,
/// appended by the run's shepherd. The backend keeps no state of its own that matters: a new
/// instance over the same directory (after toolgridd was restarted, upgraded or SIGKILLed) finds
/// the runs where they are and reports their exits when they come. A restart of the platform
/// never restarts a tool. Runs started before an upgrade, in run directories of the earlier
/// protocol (<see cref="LegacyRunDirectory"/>), are read the same way.
/// </para>
/// <para>
/// At most once: a run is started by a shepherd that holds the run's lock, and only after it has
/// appended the started record durably; a shepherd that finds a started or an exit record starts
/// nothing. So however often <see cref="StartAsync"/> is called for a run id, and whatever crashes
/// between, the command runs at most once.
/// </para>
/// <para>
/// A run file without a (complete) started or exit record whose lock a shepherd holds is a run set
/// up and held until its due time (<see cref="RunLaunch.NotBefore"/>): it is reported
/// <see cref="BackendRunPhase.Waiting"/>, and its shepherd lets its command go at that time, with
/// or without toolgridd. Without a shepherd, such a file is a start that has not happened (yet):
/// it is not listed, so the controller, which still sees the run as starting, resumes the start (it
/// may no longer want the run, and it decides). <see cref="StartAsync"/> then launches a shepherd
/// for the existing file, which starts the run once.
/// </para>
/// <para>
/// Never two copies: a run whose file is deleted under it is still read, through a descriptor the
/// backend keeps on the file of each live run (<see cref="RunFileHandles"/>), or, after a restart,
/// through its shepherd's own descriptor, found by the run's cgroup. Whatever else is left in a
/// run's cgroup with no run file is stopped (the orphan sweep), so that a run reported lost never
/// goes on beside its replacement.
/// </para>
/// </remarks>
public sealed partial class LocalBackend : IBackend, IWarningSource, IAsyncDisposable
{
    private readonly LocalBackendOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<LocalBackend> _logger;
    private readonly ShepherdLauncher _launcher;
    private readonly ShepherdSettings _settings;
    private readonly CgroupDetection _cgroups;
    private readonly ConcurrentDictionary<string, bool> _runWarnings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, bool> _lostSeen = new();
    private readonly RunFileHandles _handles = new();
    private readonly ConcurrentDictionary<long, bool> _unlinkedSeen = new();
    private readonly SemaphoreSlim _sweepGate = new(1, 1);
    private readonly ReportFeed _feed = new();
    private readonly HealthProber _health;
    private readonly Lock _watchGate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _watching;
    private NotifyListener? _listener;
    private bool _disposed;

    public LocalBackend(IOptions<LocalBackendOptions> options, TimeProvider timeProvider, ILogger<LocalBackend> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        RunDirectory = Path.GetFullPath(_options.RunDirectory);
        NodeName = string.IsNullOrWhiteSpace(_options.NodeName) ? Environment.MachineName : _options.NodeName;
        NotifySocketPath = ResolveNotifySocketPath(_options);
        _launcher = new ShepherdLauncher(ResolveShepherdPath(_options), _options.StartTimeout, timeProvider);
        _settings = new ShepherdSettings(_options.UseCgroups, _options.CgroupParent, NotifySocketPath, _options.IsolateRuns, _options.ListenAddress);
        _health = new HealthProber(NodeName, _feed.Publish, IsRunning, timeProvider, logger, System.Net.IPAddress.Parse(_options.ListenAddress));

        PrivateFiles.CreateDirectory(RunDirectory);
        RemoveLeftoverTemporaries();

        // Runs whose files were deleted while no toolgridd watched, their shepherds still going.
        _handles.AdoptAll(RunDirectory);

        _cgroups = CgroupDetector.Detect(_options.UseCgroups, _options.CgroupParent);
        foreach (var warning in _cgroups.Warnings)
        {
            Log.CgroupWarning(_logger, warning);
        }

        if (IsolationWarning is { } isolation)
        {
            Log.IsolationWarning(_logger, isolation);
        }
    }

    /// <inheritdoc />
    public string Name => "local";

    /// <summary>This host's node name.</summary>
    public string NodeName { get; }

    /// <summary>The directory that holds one run file per run (and its <c>.stop</c>, <c>.log</c> and <c>.attach</c> beside it).</summary>
    public string RunDirectory { get; }

    /// <summary>The socket the shepherds notify.</summary>
    public string NotifySocketPath { get; }

    /// <summary>The shepherd program.</summary>
    public string ShepherdPath => _launcher.ShepherdPath;

    /// <summary>The cgroup version runs get, detected at start (the shepherd applies the same rule).</summary>
    public CgroupVersion CgroupVersion => _cgroups.Version;

    /// <summary>
    /// Whether runs get their own view of the host: a private <c>/proc</c> (only their tool's
    /// processes), <c>/tmp</c>, <c>/var/tmp</c> and <c>/dev/shm</c>. The shepherd does it as root
    /// unless <see cref="LocalBackendOptions.IsolateRuns"/> is off (README.md, "Isolation").
    /// </summary>
    public bool RunsIsolated => _options.IsolateRuns && LibC.GetEUid() == 0;

    /// <summary>What runs lack on this host, in words, for <c>toolgrid status</c>: e.g. "cgroups are not writable (…): runs have no memory/CPU/process limits".</summary>
    public IReadOnlyList<string> Warnings =>
        [.. _cgroups.Warnings.Concat(IsolationWarning is { } isolation ? [isolation] : []).Concat(_runWarnings.Keys.Order(StringComparer.Ordinal)).Distinct()];

    private string? IsolationWarning => RunsIsolated
        ? null
        : _options.IsolateRuns
            ? "toolgridd does not run as root: runs see every process of the host and share /tmp"
            : $"{LocalBackendOptions.SectionName}:{nameof(LocalBackendOptions.IsolateRuns)} is off: runs see every process of the host and share /tmp";

    /// <inheritdoc />
    public Task<IReadOnlyList<NodeCapacity>> GetNodesAsync(CancellationToken cancellationToken)
    {
        var queues = _options.Queues.Count == 0 ? [Core.Jobs.Queues.Default] : _options.Queues.ToList();
        var hostMemory = HostMemory.PhysicalBytes();
        var hostCpu = Environment.ProcessorCount * 1000;
        var memory = _options.MemoryBytes ?? (long)(hostMemory * _options.MemoryOvercommit);
        var cpu = _options.CpuMillis ?? (int)Math.Min(int.MaxValue, hostCpu * _options.CpuOvercommit);
        IReadOnlyList<NodeCapacity> nodes = [new NodeCapacity(NodeName, queues, memory, cpu, _options.Slots, Up: true, HostMemoryBytes: hostMemory, HostCpuMillis: hostCpu)];
        return Task.FromResult(nodes);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A start that cannot happen yet throws <see cref="StartDeferredException"/>, having started
    /// nothing: the run directory's disk is full (the run file, or its shepherd's started record,
    /// does not fit), or the run's port is taken on this host.
    /// </remarks>
    public async Task StartAsync(RunLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = Log.RunScope(_logger, launch.Tool, launch.Job, launch.RunId);
        try
        {
            await StartOnceAsync(launch, cancellationToken);
        }
        catch (IOException e) when (DiskFull.Is(e))
        {
            // Nothing was started: the run file was not (fully) written, or its end could not be.
            throw new StartDeferredException($"the disk of node {NodeName} is full ({e.Message})", e);
        }
    }

    private async Task StartOnceAsync(RunLaunch launch, CancellationToken cancellationToken)
    {
        var run = new RunFile(RunDirectory, launch.RunId);
        if (Find(launch.RunId) is { } known)
        {
            // Known already: never written again. Started or ended: nothing to do; otherwise the
            // start did not happen (toolgridd died before or during it) and the shepherd does it now.
            var state = known.Read();
            if (state.Exit is not null || state.Started is not null)
            {
                Log.StartAlreadyDone(_logger, launch.RunId);
                return;
            }

            if (state.Waiting is not null && known.IsLockHeld())
            {
                // Held until its due time by its shepherd, which starts it then.
                Log.StartAlreadyDone(_logger, launch.RunId);
                return;
            }

            if (state.Waiting is { } abandoned)
            {
                // Its shepherd died during the wait (its job process with it): the new one makes its own.
                RemovePrivateTmp(launch.RunId, abandoned.PrivateTmp);
            }

            if (known is LegacyRunDirectory)
            {
                // Made by an earlier toolgridd, which died before its shepherd started the run. This
                // shepherd speaks protocol 2 only: the start is recorded as failed (under the run's
                // lock, so that a shepherd of the earlier version still under way wins).
                RecordStartFailure(known, "the run was created by an earlier version of toolgridd, which stopped before it started it; it is not started");
                return;
            }
        }
        else
        {
            var error = ShepherdSpec.Validate(launch);
            var account = error is null
                ? UserDatabase.Lookup(launch.UnixUser, launch.Uid, launch.Gid, withGroups: launch.Uid != (int)LibC.GetEUid(), out error)
                : null;
            if (account is null)
            {
                Log.StartRefused(_logger, launch.RunId, error!);
                RunFile.Create(RunDirectory, launch.RunId, ExitRecord.NeverStarted(_timeProvider.GetUtcNow(), stopped: false, error!).ToRecord(launch.RunId));
                NotifyFeed(launch.RunId);
                return;
            }

            RunFile.Create(RunDirectory, launch.RunId, ShepherdSpec.Build(launch, account, _settings));
        }

        if (launch.Port is { } port && PortListeners.Describe(port, _options.CgroupParent) is { } holder)
        {
            // Its command could not listen; it would crash, or wait for ever for its health check.
            throw new StartDeferredException($"port {port} on node {NodeName} is taken by {holder}");
        }

        var begun = _timeProvider.GetTimestamp();
        var result = await _launcher.LaunchAsync(run.Path, cancellationToken);
        var elapsed = _timeProvider.GetElapsedTime(begun);
        switch (result.Outcome)
        {
            case LaunchOutcome.Started:
                Log.Started(_logger, launch.RunId, elapsed.TotalMilliseconds);
                break;
            case LaunchOutcome.Waiting:
                Log.Waiting(_logger, launch.RunId, elapsed.TotalMilliseconds, launch.NotBefore);
                break;
            case LaunchOutcome.StartFailed:
                Log.StartFailed(_logger, launch.RunId, result.Error);
                break;
            case LaunchOutcome.Busy or LaunchOutcome.AlreadyStarted:
                Log.StartAlreadyDone(_logger, launch.RunId);
                break;
            case LaunchOutcome.NoSpace:
                // The run file is as it was before the launch: a start that did not happen.
                throw new StartDeferredException($"the disk of node {NodeName} is full ({result.Error})");
            default:
                Log.LaunchFailed(_logger, launch.RunId, result.Outcome, result.Error);
                RecordStartFailure(run, string.IsNullOrEmpty(result.Error) ? $"the shepherd failed ({result.Outcome})" : result.Error);
                break;
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(long runId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var run = Find(runId);
        if (run is null || run.Read().Exit is not null)
        {
            Log.StopNotNeeded(_logger, runId);
            return;
        }

        // The stop request first, then look for the shepherd: a shepherd that has not yet written
        // its started record checks for the request after it has, and before it lets the command
        // run (see the shepherd's shepherd.c).
        run.WriteStop(gracePeriod);
        Log.StopRequested(_logger, runId, gracePeriod.TotalSeconds);
        var state = run.Read();
        if (state.Started is null)
        {
            // Not started. A shepherd holding the lock will see the request; without one, the start
            // never happened and the run ends here, under the lock, so that no shepherd can start it later.
            RecordNeverStarted(run, ExitRecord.NeverStarted(_timeProvider.GetUtcNow(), stopped: true, "stopped before it started"));
            state = run.Read();
        }

        if (state.Started is not { } started)
        {
            // A shepherd that holds its run until its due time would see the request only then: it is
            // told now. (One that has not written its waiting record yet looks for the request right
            // after it has.)
            if (state.Exit is null && state.Waiting is { } waiting && run.IsLockHeld())
            {
                SignalShepherd(runId, waiting.ShepherdPid, waiting.ShepherdStartTime);
            }

            return;
        }

        if (run.IsLockHeld())
        {
            SignalShepherd(runId, started.ShepherdPid, started.ShepherdStartTime);
            return;
        }

        if (run.Read().Exit is null)
        {
            // The shepherd is gone: end what it left behind; the run is reported lost.
            await KillLeftoversAsync(runId, started, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BackendRunReport>> ListAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var reports = new List<BackendRunReport>();
        foreach (var runId in RunIds())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await InspectAsync(runId, cancellationToken) is { } report)
            {
                reports.Add(report);
            }
        }

        reports.AddRange(await SweepCgroupsAsync(cancellationToken));
        return reports;
    }

    /// <inheritdoc />
    public Task ForgetAsync(long runId, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var run = Find(runId);
        if (run is null)
        {
            return Task.CompletedTask;
        }

        if (run.Read().Exit is null && run.IsLockHeld())
        {
            // Its shepherd still runs it: forgetting it now would leave a run nobody watches. (With
            // the exit written, the shepherd is only exiting: it writes nothing more that matters.)
            Log.ForgetRefused(_logger, runId);
            return Task.CompletedTask;
        }

        run.Remove();
        _handles.Release(runId);
        _health.Untrack(runId);
        _feed.Forget(runId);
        _lostSeen.TryRemove(runId, out _);
        _unlinkedSeen.TryRemove(runId, out _);
        Log.Forgot(_logger, runId);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BackendRunReport> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var reader = _feed.Subscribe();
        try
        {
            EnsureWatching();
            await foreach (var report in reader.ReadAllAsync(cancellationToken))
            {
                yield return report;
            }
        }
        finally
        {
            _feed.Unsubscribe(reader);
        }
    }

    /// <summary>Stops watching. Runs are not touched: their shepherds go on, and a new backend re-adopts them.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? watching;
        lock (_watchGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            watching = _watching;
        }

        await _stopping.CancelAsync();
        await _health.DisposeAsync();
        if (watching is not null)
        {
            try
            {
                await watching;
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        _listener?.Dispose();
        _feed.Complete();
        _stopping.Dispose();
        _handles.Dispose();
        _sweepGate.Dispose();
    }

    internal static string ResolveShepherdPath(LocalBackendOptions options) =>
        string.IsNullOrWhiteSpace(options.ShepherdPath) ? Path.Combine(AppContext.BaseDirectory, "tg-shepherd") : options.ShepherdPath;

    internal static string ResolveNotifySocketPath(LocalBackendOptions options) =>
        string.IsNullOrWhiteSpace(options.NotifySocketPath) ? Path.Combine(options.RunDirectory ?? string.Empty, "notify.sock") : options.NotifySocketPath;

    /// <summary>The run's file or directory; for a run file deleted under its run, the descriptor the backend keeps on it.</summary>
    private RunEntry? Find(long runId) =>
        RunEntry.Find(RunDirectory, runId) ?? (_handles.Get(runId) is { } handle ? new RunFile(RunDirectory, runId, handle) : null);

    /// <summary>SIGTERM to a run's shepherd, whose lock the caller saw held; the start time says it is this one (not a recycled PID).</summary>
    private void SignalShepherd(long runId, int shepherdPid, long shepherdStartTime)
    {
        if (shepherdPid > 0 && ProcStat.StartTime(shepherdPid) == shepherdStartTime)
        {
            LibC.Kill(shepherdPid, LibC.SigTerm);
        }
        else
        {
            Log.ShepherdMismatch(_logger, runId, shepherdPid);
        }
    }

    /// <summary>Whether the run's shepherd still runs it (for the health prober).</summary>
    private bool IsRunning(long runId) => Find(runId) is { } run && run.IsLockHeld() && run.Read().Exit is null;

    private IEnumerable<long> RunIds()
    {
        // Run files, and the run directories of runs started before an upgrade.
        var seen = new HashSet<long>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(RunDirectory))
        {
            if (RunEntry.TryParseRunId(Path.GetFileName(entry), out var runId) && seen.Add(runId))
            {
                yield return runId;
            }
        }

        // Run files deleted under their runs, still read through the backend's descriptors.
        foreach (var runId in _handles.RunIds.Where(seen.Add).ToList())
        {
            yield return runId;
        }
    }

    /// <summary>What the run's files say now; null for a run not started (yet) that no shepherd holds.</summary>
    private async Task<BackendRunReport?> InspectAsync(long runId, CancellationToken cancellationToken)
    {
        try
        {
            if (Find(runId) is not { } run)
            {
                return null;
            }

            if (run is RunFile { IsUnlinked: true } unlinked && _unlinkedSeen.TryAdd(runId, true))
            {
                Log.RunFileDeleted(_logger, runId, unlinked.Path);
            }

            var state = run.Read();
            if (state.Exit is { } exit)
            {
                _health.Untrack(runId);
                KeepEnded(run);
                return exit.ToReport(runId, NodeName);
            }

            if (state.Started is null)
            {
                if (!run.IsLockHeld())
                {
                    return null;
                }

                // A shepherd has it and has not let its command go: held until its due time (or a
                // start under way). Read again, as it may have got further before the lock was seen.
                KeepLive(run);
                state = run.Read();
                if (state.Exit is { } heldExit)
                {
                    KeepEnded(run);
                    return heldExit.ToReport(runId, NodeName);
                }

                if (state.Started is null)
                {
                    return new BackendRunReport(runId, NodeName, BackendRunPhase.Waiting, state.Waiting?.Pid);
                }
            }

            var started = state.Started;

            if (started.Warning is { } warning)
            {
                _runWarnings.TryAdd(warning, true);
            }

            if (run.IsLockHeld())
            {
                KeepLive(run);
                _health.Track(runId, started, () => (run as RunFile)?.ReadContents()?.Spec);
                var health = _health.Verdict(runId);
                return new BackendRunReport(runId, NodeName, BackendRunPhase.Running, started.Pid, started.StartedAt, Healthy: health.Healthy, HealthMessage: health.Message, ListensOutside: health.ListensOutside);
            }

            _health.Untrack(runId);

            // The shepherd writes the exit before its lock goes: look again now that the lock is free.
            if (run.Read().Exit is { } lateExit)
            {
                KeepEnded(run);
                return lateExit.ToReport(runId, NodeName);
            }

            await KillLeftoversAsync(runId, started, cancellationToken);
            return new BackendRunReport(
                runId,
                NodeName,
                BackendRunPhase.Lost,
                started.Pid,
                started.StartedAt,
                Message: "the run's shepherd died; how the run ended is unknown");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Forgotten meanwhile, or unreadable: the next scan says.
            Log.InspectFailed(_logger, runId, e);
            return null;
        }
    }

    private async Task KillLeftoversAsync(long runId, StartedRecord started, CancellationToken cancellationToken)
    {
        var killed = await CgroupKiller.KillAndRemoveAsync(started.CgroupDirectories, _timeProvider, cancellationToken);
        if (_lostSeen.TryAdd(runId, true) || killed > 0)
        {
            Log.ShepherdLost(_logger, runId, killed);
        }

        // Its processes are gone: what the shepherd would have removed at the end goes now.
        RemovePrivateTmp(runId, started.PrivateTmp ?? []);
    }

    private void RemovePrivateTmp(long runId, IReadOnlyList<string> directories)
    {
        foreach (var problem in PrivateTmp.Remove(directories))
        {
            Log.PrivateTmpLeft(_logger, runId, problem);
        }
    }

    /// <summary>Keeps a descriptor on the file of a run a shepherd has, so that the run is still read should its file be deleted.</summary>
    private void KeepLive(RunEntry run)
    {
        if (run is RunFile { IsUnlinked: false } file)
        {
            _handles.Keep(run.RunId, file.Path);
        }
    }

    /// <summary>
    /// A run has ended: the descriptor on its file is no longer needed, once a file deleted under
    /// the run has its name back (with its exit, so that a restarted toolgridd reads it too).
    /// </summary>
    private void KeepEnded(RunEntry run)
    {
        if (run is not RunFile { IsUnlinked: true } file)
        {
            _handles.Release(run.RunId);
            return;
        }

        try
        {
            if (file.ReadData() is { } data && RunFileFormat.Parse(data) is { Exit: not null } contents)
            {
                file.Restore(contents, data);
                _handles.Release(run.RunId);
                Log.RunFileRestored(_logger, run.RunId, file.Path);
            }
        }
        catch (IOException e)
        {
            // Read through the descriptor until it can be written (a full disk, say).
            Log.RunFileNotRestored(_logger, run.RunId, file.Path, e);
        }
    }

    /// <summary>
    /// The orphan sweep: the runs' cgroups under the parent that no run file (nor a descriptor the
    /// backend keeps) names, as when a run file was deleted (or renamed) before this backend saw it.
    /// One whose shepherd still holds the file is adopted from that shepherd and reported as any
    /// other run; what is in any other is stopped (SIGTERM, then SIGKILL after a grace period) and
    /// reported lost, so that nothing of a run runs on that nobody can see, stop or replace safely.
    /// </summary>
    private async Task<List<BackendRunReport>> SweepCgroupsAsync(CancellationToken cancellationToken)
    {
        var reports = new List<BackendRunReport>();
        if (_cgroups.Version == CgroupVersion.None)
        {
            return reports;
        }

        await _sweepGate.WaitAsync(cancellationToken);
        try
        {
            foreach (var (runId, directories) in RunCgroups.Find(_cgroups.Version, _options.CgroupParent))
            {
                // Cgroups are made by a shepherd for a run file that exists: one seen now is the run's.
                if (Find(runId) is not null)
                {
                    continue;
                }

                var pids = CgroupKiller.Pids(directories);
                if (pids.Count > 0 && RunCgroups.Parents(pids.ToHashSet()).Any(parent => _handles.TryAdopt(runId, parent, RunDirectory)))
                {
                    if (await InspectAsync(runId, cancellationToken) is { } report)
                    {
                        reports.Add(report);
                    }

                    continue;
                }

                var stopped = await CgroupKiller.StopAndRemoveAsync(directories, StopOrphan.GracePeriod, _timeProvider, cancellationToken);
                if (pids.Count > 0)
                {
                    Log.OrphanStopped(_logger, runId, stopped);
                    reports.Add(new BackendRunReport(
                        runId,
                        NodeName,
                        BackendRunPhase.Lost,
                        Message: "its run file was deleted and no shepherd has it any more: its processes were stopped; how it ended is unknown"));
                }
            }
        }
        finally
        {
            _sweepGate.Release();
        }

        return reports;
    }

    /// <summary>Records that a run could not be started, unless a shepherd has it or it got further.</summary>
    private void RecordStartFailure(RunEntry run, string message) =>
        RecordNeverStarted(run, ExitRecord.NeverStarted(_timeProvider.GetUtcNow(), stopped: false, message));

    /// <summary>Ends a run whose start never happened, under its lock, so that no shepherd can start it later.</summary>
    private void RecordNeverStarted(RunEntry run, ExitRecord exit)
    {
        using var runLock = run.TryLock();
        if (runLock is null)
        {
            // A shepherd has it: it sees the stop request, or reports how its start went.
            return;
        }

        var state = run.Read();
        if (state.Exit is null && state.Started is null)
        {
            run.WriteNeverStarted(runLock, exit);
            NotifyFeed(run.RunId);
            if (state.Waiting is { } abandoned)
            {
                RemovePrivateTmp(run.RunId, abandoned.PrivateTmp);
            }
        }
    }

    /// <summary>A change the backend made itself (no shepherd will notify it): tell the watchers.</summary>
    private void NotifyFeed(long runId)
    {
        if (Find(runId)?.Read().Exit is { } exit)
        {
            _feed.Publish(exit.ToReport(runId, NodeName));
        }
    }

    /// <summary>Removes what a start, a stop or a forget left half done when toolgridd died (old enough not to be in progress).</summary>
    private void RemoveLeftoverTemporaries()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(RunDirectory))
        {
            var name = Path.GetFileName(entry);
            var temporary = name.StartsWith(".new-", StringComparison.Ordinal) || name.StartsWith(".forget-", StringComparison.Ordinal) ||
                (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal));

            // A stop request or a log whose run file is gone: a forget that toolgridd did not finish.
            var orphan = Path.GetExtension(name) is ".stop" or ".log" or ".attach" &&
                RunEntry.TryParseRunId(Path.GetFileNameWithoutExtension(name), out _) &&
                !File.Exists(Path.Combine(RunDirectory, Path.GetFileNameWithoutExtension(name)));
            if (!temporary && !orphan)
            {
                continue;
            }

            try
            {
                if (_timeProvider.GetUtcNow() - File.GetLastWriteTimeUtc(entry) <= TimeSpan.FromMinutes(1))
                {
                    continue;
                }

                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.CleanupFailed(_logger, entry, e);
            }
        }
    }

    private void EnsureWatching()
    {
        lock (_watchGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_watching is not null)
            {
                return;
            }

            try
            {
                _listener = new NotifyListener(NotifySocketPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
            {
                // Without notifications the rescans still see everything, only later.
                Log.NotifySocketFailed(_logger, NotifySocketPath, e);
            }

            var stopping = _stopping.Token;
            _watching = Task.WhenAll(
                _listener is null ? Task.CompletedTask : Task.Run(() => ListenAsync(_listener, stopping), stopping),
                Task.Run(() => RescanAsync(stopping), stopping));
        }
    }

    private async Task ListenAsync(NotifyListener listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (await listener.ReceiveAsync(stopping) is { } runId && await InspectAsync(runId, stopping) is { } report)
                {
                    _feed.Publish(report);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.WatchFailed(_logger, e);
                await Task.Delay(TimeSpan.FromMilliseconds(100), _timeProvider, stopping);
            }
        }
    }

    private async Task RescanAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.RescanInterval, _timeProvider);
        do
        {
            try
            {
                var runIds = new HashSet<long>(RunIds());
                foreach (var runId in runIds)
                {
                    if (await InspectAsync(runId, stopping) is { } report)
                    {
                        _feed.Publish(report);
                    }
                }

                foreach (var report in await SweepCgroupsAsync(stopping))
                {
                    runIds.Add(report.RunId);
                    _feed.Publish(report);
                }

                _feed.Retain(runIds);
                _health.Retain(runIds);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.WatchFailed(_logger, e);
            }
        }
        while (await WaitForTickAsync(timer, stopping));
    }

    private static async Task<bool> WaitForTickAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
