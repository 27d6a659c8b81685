using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;

namespace Toolgrid.Controller.Tests.Support;

/// <summary>
/// A backend that runs nothing: it records what the controller asks of it, keeps the runs it was
/// given the way a real backend does (running once started, ended until forgotten), and lets the
/// test say what it lists and reports.
/// </summary>
/// <remarks>
/// Only for tests of the controller's decisions and steps; the real backends have tests of their own.
/// Like a real backend it never starts a run id twice: a start of a run it holds changes nothing.
/// </remarks>
internal sealed class RecordingBackend(TimeProvider time) : IBackend
{
    public const string NodeName = "node1";

    private readonly Lock _lock = new();
    private readonly List<RunLaunch> _starts = [];
    private readonly List<(long RunId, TimeSpan GracePeriod)> _stops = [];
    private readonly List<long> _forgets = [];
    private readonly List<string> _nodeSteps = [];
    private readonly Dictionary<long, BackendRunReport> _held = [];
    private readonly Channel<BackendRunReport> _reports = Channel.CreateUnbounded<BackendRunReport>();
    private IReadOnlyList<NodeCapacity> _nodes = [Node()];
    private int _nodeReads;

    public string Name => "fake";

    /// <summary>Whether it acts as an engine that places runs itself (false, as the local backend, unless a test says so).</summary>
    public bool PlacesRuns { get; set; }

    /// <summary>When set, every start is refused with this exception (after being recorded).</summary>
    public Exception? StartFailure { get; set; }

    /// <summary>When set, every stop is refused with this exception (after being recorded).</summary>
    public Exception? StopFailure { get; set; }

    /// <summary>When set, <see cref="DrainAsync"/> throws it (after recording the drain asked), as a refused <c>qmod -d</c> would.</summary>
    public Exception? DrainFailure { get; set; }

    /// <summary>Called inside <see cref="StartAsync"/>, before the backend takes the run: lets a test look at the store then.</summary>
    public Func<RunLaunch, Task>? OnStart { get; set; }

    /// <summary>Called inside <see cref="ForgetAsync"/>, before the backend drops the run.</summary>
    public Func<long, Task>? OnForget { get; set; }

    public IReadOnlyList<RunLaunch> Starts
    {
        get
        {
            lock (_lock)
            {
                return [.. _starts];
            }
        }
    }

    public IReadOnlyList<(long RunId, TimeSpan GracePeriod)> Stops
    {
        get
        {
            lock (_lock)
            {
                return [.. _stops];
            }
        }
    }

    public IReadOnlyList<long> Forgets
    {
        get
        {
            lock (_lock)
            {
                return [.. _forgets];
            }
        }
    }

    /// <summary>The run ids the backend was asked to start, in order.</summary>
    public IReadOnlyList<long> Started => [.. Starts.Select(s => s.RunId)];

    /// <summary>A node of the default queue with room for <paramref name="slots"/> runs.</summary>
    public static NodeCapacity Node(string name = NodeName, int slots = 8, bool up = true, params string[] queues) =>
        new(name, queues.Length == 0 ? [Queues.Default] : queues, 64 * MemorySize.GiB, 16_000, slots, up);

    public void SetNodes(params NodeCapacity[] nodes) => Volatile.Write(ref _nodes, nodes);

    /// <summary>Makes the backend know the run as <paramref name="report"/> says (what <see cref="ListAsync"/> returns).</summary>
    public void Hold(BackendRunReport report)
    {
        lock (_lock)
        {
            _held[report.RunId] = report;
        }
    }

    /// <summary>Makes the backend forget the run without being asked (its node was wiped).</summary>
    public void Drop(long runId)
    {
        lock (_lock)
        {
            _held.Remove(runId);
        }
    }

    /// <summary>The backend sees this happen: it holds the run so, and reports it on <see cref="WatchAsync"/>.</summary>
    public void Report(BackendRunReport report)
    {
        Hold(report);
        _reports.Writer.TryWrite(report);
    }

    /// <summary>How many times the nodes were read.</summary>
    public int NodeReads => Volatile.Read(ref _nodeReads);

    public Task<IReadOnlyList<NodeCapacity>> GetNodesAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _nodeReads);
        return Task.FromResult(Volatile.Read(ref _nodes));
    }

    /// <summary>The drains and resumes asked, in order: <c>drain NODE</c>, <c>resume NODE</c>.</summary>
    public IReadOnlyList<string> NodeSteps
    {
        get
        {
            lock (_lock)
            {
                return [.. _nodeSteps];
            }
        }
    }

    public Task DrainAsync(string node, string reason, CancellationToken cancellationToken)
    {
        if (DrainFailure is { } failure)
        {
            lock (_lock)
            {
                _nodeSteps.Add("drain " + node);
            }

            throw failure;
        }

        return SetDrained(node, true);
    }

    public Task ResumeAsync(string node, CancellationToken cancellationToken) => SetDrained(node, false);

    private Task SetDrained(string node, bool drained)
    {
        lock (_lock)
        {
            _nodeSteps.Add((drained ? "drain " : "resume ") + node);
            var nodes = Volatile.Read(ref _nodes);
            if (!nodes.Any(n => n.Name == node))
            {
                throw new ArgumentException($"no node '{node}'", nameof(node));
            }

            Volatile.Write(ref _nodes, [.. nodes.Select(n => n.Name == node ? n with { Drained = drained, Up = !drained } : n)]);
        }

        return Task.CompletedTask;
    }

    public async Task StartAsync(RunLaunch launch, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _starts.Add(launch);
        }

        if (OnStart is { } onStart)
        {
            await onStart(launch);
        }

        if (StartFailure is { } failure)
        {
            throw failure;
        }

        lock (_lock)
        {
            // A run with no node is placed as an engine would: on this backend's one node.
            _held.TryAdd(launch.RunId, Running(launch.RunId, launch.Node ?? NodeName, time.GetUtcNow()));
        }
    }

    public Task StopAsync(long runId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _stops.Add((runId, gracePeriod));
        }

        return StopFailure is { } failure ? Task.FromException(failure) : Task.CompletedTask;
    }

    public Task<IReadOnlyList<BackendRunReport>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<BackendRunReport>>([.. _held.Values.OrderBy(r => r.RunId)]);
        }
    }

    public async Task ForgetAsync(long runId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _forgets.Add(runId);
        }

        if (OnForget is { } onForget)
        {
            await onForget(runId);
        }

        Drop(runId);
    }

    public async IAsyncEnumerable<BackendRunReport> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var report in _reports.Reader.ReadAllAsync(cancellationToken))
        {
            yield return report;
        }
    }

    /// <summary>What a backend reports of a run whose process runs.</summary>
    public static BackendRunReport Running(long runId, string node = NodeName, DateTimeOffset? startedAt = null, int pid = 4242) =>
        new(runId, node, BackendRunPhase.Running, Pid: pid, StartedAt: startedAt);

    /// <summary>What a backend reports of a run that ended.</summary>
    public static BackendRunReport Exited(long runId, int? exitCode = 0, int? signal = null, DateTimeOffset? finishedAt = null, string node = NodeName) =>
        new(runId, node, BackendRunPhase.Exited, ExitCode: exitCode, Signal: signal, FinishedAt: finishedAt);
}
