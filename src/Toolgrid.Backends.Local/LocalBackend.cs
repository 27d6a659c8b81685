using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolgrid.Backends.Local.Cgroups;
using Toolgrid.Backends.Local.Health;
using Toolgrid.Backends.Local.Lifecycle;
using Toolgrid.Backends.Local.Native;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Backends.Local.Watching;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Native;
using Toolgrid.Native.Processes;

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
/// appended the started record durably, however often <see cref="StartAsync"/> is called for it
/// (<see cref="RunStarter"/>).
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
/// backend keeps (<see cref="RunCatalog"/>) or its shepherd's own; whatever else is left in a run's
/// cgroup with no run file is stopped (<see cref="OrphanSweep"/>) before the run is reported lost.
/// </para>
/// <para>
/// This class only puts together its parts, one per concern: <see cref="RunStarter"/>,
/// <see cref="RunStopper"/>, <see cref="RunForgetter"/> and <see cref="InteractiveRuns"/> (Lifecycle),
/// <see cref="RunCatalog"/> (Protocol), <see cref="RunInspector"/>, <see cref="OrphanSweep"/> and
/// <see cref="RunWatcher"/> (Watching), <see cref="RunLeftovers"/> (Cgroups) and
/// <see cref="HealthProber"/> (Health).
/// </para>
/// </remarks>
public sealed partial class LocalBackend : IBackend, IRunTerminals, IWarningSource, IAsyncDisposable
{
    private readonly LocalBackendOptions _options;
    private readonly ILogger<LocalBackend> _logger;
    private readonly ShepherdLauncher _launcher;
    private readonly CgroupDetection _cgroups;
    private readonly RunCatalog _catalog;
    private readonly ReportFeed _feed = new();
    private readonly HealthProber _health;
    private readonly RunLeftovers _leftovers;
    private readonly RunInspector _inspector;
    private readonly OrphanSweep _sweep;
    private readonly RunWatcher _watcher;
    private readonly Channel<long> _shepherdExits = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ProcessExits _shepherds;
    private readonly RunStarter _starter;
    private readonly RunStopper _stopper;
    private readonly RunForgetter _forgetter;
    private readonly InteractiveRuns _terminals;
    private readonly Lock _disposeGate = new();
    private volatile bool _disposed;

    public LocalBackend(IOptions<LocalBackendOptions> options, TimeProvider timeProvider, ILogger<LocalBackend> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        RunDirectory = Path.GetFullPath(_options.RunDirectory);
        NodeName = string.IsNullOrWhiteSpace(_options.NodeName) ? Environment.MachineName : _options.NodeName;
        NotifySocketPath = ResolveNotifySocketPath(_options);
        _launcher = new ShepherdLauncher(ResolveShepherdPath(_options), _options.StartTimeout, timeProvider);
        _catalog = new RunCatalog(RunDirectory, logger);
        _health = new HealthProber(NodeName, _feed.Publish, IsRunning, timeProvider, logger, System.Net.IPAddress.Parse(_options.ListenAddress));

        PrivateFiles.CreateDirectory(RunDirectory);
        LeftoverTemporaries.Remove(RunDirectory, timeProvider, logger);

        // Runs whose files were deleted while no toolgridd watched, their shepherds still going.
        _catalog.AdoptDeleted();

        _cgroups = CgroupDetector.Detect(_options.UseCgroups, _options.CgroupParent);
        foreach (var warning in _cgroups.Warnings)
        {
            Log.CgroupWarning(_logger, warning);
        }

        if (IsolationWarning is { } isolation)
        {
            Log.IsolationWarning(_logger, isolation);
        }

        var settings = new ShepherdSettings(_options.UseCgroups, _options.CgroupParent, NotifySocketPath, _options.IsolateRuns, _options.ListenAddress);
        var neverStarted = new NeverStartedRuns(_catalog, _feed, NodeName, timeProvider, logger);
        _leftovers = new RunLeftovers(timeProvider, logger);
        _shepherds = new ProcessExits(runId => _shepherdExits.Writer.TryWrite(runId), ProcStat.StartTime);
        _inspector = new RunInspector(_catalog, _health, _leftovers, _shepherds, NodeName, logger);
        _sweep = new OrphanSweep(_cgroups.Version, _options.CgroupParent, _catalog, _inspector, NodeName, timeProvider, logger);
        _watcher = new RunWatcher(NotifySocketPath, _shepherdExits.Reader, _options.RescanInterval, _catalog, _inspector, _sweep, _feed, _health, timeProvider, logger);
        _starter = new RunStarter(_catalog, neverStarted, _launcher, settings, _options.CgroupParent, NodeName, timeProvider, logger);
        _stopper = new RunStopper(_catalog, neverStarted, _leftovers, timeProvider, logger);
        _forgetter = new RunForgetter(_catalog, _health, _feed, _leftovers, logger);
        _terminals = new InteractiveRuns(_catalog, NodeName, logger);
    }

    /// <inheritdoc />
    public string Name => "local";

    /// <inheritdoc />
    /// <remarks>False: the controller places each run on this host's node, with its port.</remarks>
    public bool PlacesRuns => false;

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
        [.. _cgroups.Warnings.Concat(IsolationWarning is { } isolation ? [isolation] : []).Concat(_inspector.Warnings.Order(StringComparer.Ordinal)).Distinct()];

    private string? IsolationWarning => RunsIsolated
        ? null
        : _options.IsolateRuns
            ? "toolgridd does not run as root: runs see every process of the host and share /tmp"
            : $"{LocalBackendOptions.SectionName}:{nameof(LocalBackendOptions.IsolateRuns)} is off: runs see every process of the host and share /tmp";

    /// <inheritdoc />
    public Task<IReadOnlyList<NodeCapacity>> GetNodesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NodeCapacity>>([LocalNodeCapacity.Read(_options, NodeName, File.Exists(DrainFile))]);

    /// <inheritdoc />
    /// <remarks>
    /// This host's one node: the drain is kept in the run directory (<c>node.drained</c>, holding
    /// the reason), so that it outlives a restart of toolgridd; the node is then reported drained
    /// and the controller places nothing on it.
    /// </remarks>
    public async Task DrainAsync(string node, string reason, CancellationToken cancellationToken)
    {
        DemandThisNode(node);
        await File.WriteAllTextAsync(DrainFile, reason + "\n", cancellationToken);
        PrivateFiles.RestrictToOwner(DrainFile);
        Log.NodeDrained(_logger, node, reason);
    }

    /// <inheritdoc />
    public Task ResumeAsync(string node, CancellationToken cancellationToken)
    {
        DemandThisNode(node);
        File.Delete(DrainFile);
        Log.NodeResumed(_logger, node);
        return Task.CompletedTask;
    }

    private string DrainFile => Path.Combine(RunDirectory, "node.drained");

    private void DemandThisNode(string node)
    {
        if (!string.Equals(node, NodeName, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the local backend has one node, '{NodeName}', not '{node}'.", nameof(node));
        }
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
        await _starter.StartAsync(launch, cancellationToken);
    }

    /// <inheritdoc />
    public async Task StopAsync(long runId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _stopper.StopAsync(runId, gracePeriod, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BackendRunReport>> ListAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var reports = new List<BackendRunReport>();
        foreach (var runId in _catalog.RunIds())
        {
            cancellationToken.ThrowIfCancellationRequested();

            // A run seen running whose shepherd is watched is as it was seen (see RunWatcher).
            if ((_inspector.WatchedRunning(runId) ?? await _inspector.InspectAsync(runId, cancellationToken)) is { } report)
            {
                reports.Add(report);
            }
        }

        reports.AddRange(await _sweep.SweepAsync(cancellationToken));
        return reports;
    }

    /// <inheritdoc />
    public Task ForgetAsync(long runId, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _forgetter.Forget(runId);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BackendRunReport> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var reader = _feed.Subscribe();
        try
        {
            ObjectDisposedException.ThrowIf(!_watcher.EnsureStarted(), this);
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

    /// <inheritdoc />
    /// <remarks>
    /// A run is attached once: its shepherd passes the terminal (or pipes) to the first attach and
    /// then lets the command go. Disposing the terminal hangs the run up; so does toolgridd's exit.
    /// </remarks>
    public async Task<IRunTerminal> AttachAsync(long runId, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return await _terminals.AttachAsync(runId, cancellationToken);
    }

    /// <summary>Stops watching. Runs are not touched: their shepherds go on, and a new backend re-adopts them.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_disposeGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _watcher.DisposeAsync();
        _shepherds.Dispose();
        _shepherdExits.Writer.TryComplete();
        await _health.DisposeAsync();
        _feed.Complete();
        _catalog.Dispose();
        _sweep.Dispose();
    }

    /// <summary>The last rescan of the runs that ended (for tests: which runs it read).</summary>
    internal RescanRecord LastRescan => _watcher.LastRescan;

    internal static string ResolveShepherdPath(LocalBackendOptions options) =>
        string.IsNullOrWhiteSpace(options.ShepherdPath) ? Path.Combine(AppContext.BaseDirectory, "tg-shepherd") : options.ShepherdPath;

    internal static string ResolveNotifySocketPath(LocalBackendOptions options) =>
        string.IsNullOrWhiteSpace(options.NotifySocketPath) ? Path.Combine(options.RunDirectory ?? string.Empty, "notify.sock") : options.NotifySocketPath;

    /// <summary>Whether the run's shepherd still runs it (for the health prober).</summary>
    private bool IsRunning(long runId) => _catalog.Find(runId) is { } run && run.IsLockHeld() && run.Read().Exit is null;
}
