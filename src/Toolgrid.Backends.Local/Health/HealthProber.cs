using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Health;

namespace Toolgrid.Backends.Local.Health;

/// <summary>
/// Checks the health of this node's running runs that have a health check, and reports each
/// change of verdict (as a running report with <see cref="BackendRunReport.Healthy"/>); with each
/// check of a run with a port, also where it listens (<see cref="ListeningSockets"/>), reporting
/// a change there too (<see cref="BackendRunReport.ListensOutside"/>).
/// </summary>
/// <remarks>
/// <para>
/// The verdict follows <see cref="HealthProgress"/>: the startup check until it first passes or
/// times out, then liveness checks and failures in a row.
/// </para>
/// <para>
/// The backend hands runs over as it sees them running (<see cref="Track"/>): fresh ones, and,
/// after toolgridd was restarted, adopted ones, whose spec says how to check them; the startup
/// timeout counts from then. One timer loop serves every run; checks run concurrently, at most
/// one per run at a time.
/// </para>
/// </remarks>
internal sealed partial class HealthProber : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly string _node;
    private readonly Action<BackendRunReport> _publish;
    private readonly Func<long, bool> _stillRunning;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IPAddress _listenAddress;
    private readonly HttpCheck _http;
    private readonly ScriptCheck _script;
    private readonly ConcurrentDictionary<long, ProbeState?> _runs = new();
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _loopGate = new();
    private Task? _loop;
    private bool _disposed;

    /// <param name="node">The node's name, for the reports.</param>
    /// <param name="publish">Where reports of a changed verdict go.</param>
    /// <param name="stillRunning">Whether a run is still running: checked before an unhealthy verdict is reported, so that a run's exit does not read as a failed check.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The log.</param>
    /// <param name="listenAddress">Where runs with a port are told to listen (<c>$HOST</c>): listening there or on loopback is as told.</param>
    public HealthProber(string node, Action<BackendRunReport> publish, Func<long, bool> stillRunning, TimeProvider time, ILogger logger, IPAddress listenAddress)
    {
        _node = node;
        _publish = publish;
        _stillRunning = stillRunning;
        _time = time;
        _logger = logger;
        _listenAddress = listenAddress;
        _http = new HttpCheck(time);
        _script = new ScriptCheck(time);
    }

    /// <summary>The runs being probed now.</summary>
    public int Count => _runs.Values.Count(state => state is not null);

    /// <summary>
    /// A run seen running: probed from now on if its spec has a health check. Cheap for a run
    /// already known (the spec is read once).
    /// </summary>
    public void Track(long runId, StartedRecord started, Func<ILookup<string, string>?> readSpec)
    {
        ArgumentNullException.ThrowIfNull(started);
        ArgumentNullException.ThrowIfNull(readSpec);
        if (_disposed || _runs.ContainsKey(runId))
        {
            return;
        }

        var target = readSpec() is { } spec ? RunHealthSpec.Read(runId, spec) : null;
        var state = target is null ? null : new ProbeState(target, started, _time, _time.GetTimestamp());
        if (_runs.TryAdd(runId, state) && state is not null)
        {
            Log.Probing(_logger, runId, target!.Check.HttpPath ?? target.Check.Script!);
            EnsureLoop();
        }
    }

    /// <summary>The run's latest verdict (none for a run that is not probed, or has no verdict yet).</summary>
    public HealthVerdict Verdict(long runId)
    {
        if (!_runs.TryGetValue(runId, out var state) || state is null)
        {
            return default;
        }

        lock (state.Gate)
        {
            return new HealthVerdict(state.Progress.Healthy, state.Progress.Message, state.ListensOutside);
        }
    }

    /// <summary>The run ended or is forgotten: no more checks, and no more reports.</summary>
    public void Untrack(long runId)
    {
        if (_runs.TryRemove(runId, out var state) && state is not null)
        {
            lock (state.Gate)
            {
                state.Ended = true;
            }
        }
    }

    /// <summary>Stops probing runs that are no longer in the run directory.</summary>
    public void Retain(IReadOnlySet<long> runIds)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        foreach (var runId in _runs.Keys.Where(id => !runIds.Contains(id)).ToList())
        {
            Untrack(runId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_loopGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            loop = _loop;
        }

        await _stopping.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }

        await Task.WhenAll(_inFlight.Values);
        _http.Dispose();
        _stopping.Dispose();
    }

    private void EnsureLoop()
    {
        lock (_loopGate)
        {
            if (!_disposed && _loop is null)
            {
                var stopping = _stopping.Token;
                _loop = Task.Run(() => LoopAsync(stopping), CancellationToken.None);
            }
        }
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Tick, _time);
        try
        {
            do
            {
                var now = _time.GetTimestamp();
                foreach (var (runId, state) in _runs)
                {
                    if (state is null)
                    {
                        continue;
                    }

                    lock (state.Gate)
                    {
                        if (state.Ended || state.InFlight || now < state.Progress.NextDue)
                        {
                            continue;
                        }

                        state.InFlight = true;
                    }

                    var check = Task.Run(() => CheckAsync(state, stopping), CancellationToken.None);
                    _inFlight[runId] = check;
                    _ = check.ContinueWith(done => _inFlight.TryRemove(new KeyValuePair<long, Task>(runId, done)), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task CheckAsync(ProbeState state, CancellationToken stopping)
    {
        CheckResult result;
        try
        {
            result = await RunCheckAsync(state.Target, state.Started, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            Log.CheckFailed(_logger, state.Target.RunId, e);
            result = CheckResult.Fail($"the health check failed: {e.Message}");
        }

        var listening = state.Target.Port is { } port ? ListeningSockets.Outside(port, state.Target.Uid, _listenAddress) : null;
        var (change, healthChanged) = Apply(state, result, listening);
        if (change is not { } verdict)
        {
            return;
        }

        var runId = state.Target.RunId;
        if (verdict.Healthy == false && !_stillRunning(runId))
        {
            // It ended: its exit says how; the failed check says nothing more.
            return;
        }

        if (healthChanged && verdict.Healthy == true)
        {
            Log.Healthy(_logger, runId);
        }
        else if (healthChanged)
        {
            Log.Unhealthy(_logger, runId, verdict.Message ?? string.Empty);
        }

        if (verdict.ListensOutside is { Length: > 0 } outside)
        {
            Log.ListensOutside(_logger, runId, outside);
        }

        _publish(new BackendRunReport(
            runId,
            _node,
            BackendRunPhase.Running,
            state.Started.Pid,
            state.Started.StartedAt,
            Healthy: verdict.Healthy,
            HealthMessage: verdict.Message,
            ListensOutside: verdict.ListensOutside));
    }

    private async Task<CheckResult> RunCheckAsync(ProbeTarget target, StartedRecord started, CancellationToken stopping)
    {
        var check = target.Check;
        if (check.HttpPath is { } path)
        {
            var http = await _http.CheckAsync(CheckAddress(target), target.Port!.Value, path, check.Timeout, stopping);
            if (!http.Passed)
            {
                return http;
            }
        }

        return check.Script is { } script ? await _script.CheckAsync(target, started, script, check.Timeout, stopping) : CheckResult.Pass;
    }

    /// <summary>
    /// Records a check's outcome (and where the run listens, when looked at) and schedules the
    /// next; the new verdict when its health or where it listens changed, and whether its health did.
    /// </summary>
    private static (HealthVerdict? Verdict, bool HealthChanged) Apply(ProbeState state, CheckResult result, string? listensOutside)
    {
        lock (state.Gate)
        {
            state.InFlight = false;
            if (state.Ended)
            {
                return (null, false);
            }

            var before = state.ListensOutside;
            state.ListensOutside = listensOutside ?? state.ListensOutside;
            var healthChanged = state.Progress.Record(result);
            var after = new HealthVerdict(state.Progress.Healthy, state.Progress.Message, state.ListensOutside);
            return healthChanged || after.ListensOutside != before ? (after, healthChanged) : (null, false);
        }
    }

    /// <summary>Where an HTTP check reaches the run: at the address it was told (<c>$HOST</c>), or at 127.0.0.1 when that is loopback or every address.</summary>
    private static IPAddress CheckAddress(ProbeTarget target) =>
        target.Environment.TryGetValue(Protocol.ShepherdSpec.ListenHost, out var host)
        && IPAddress.TryParse(host, out var address)
        && !address.Equals(IPAddress.Any)
        && !address.Equals(IPAddress.IPv6Any)
            ? address
            : IPAddress.Loopback;

}
