using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Toolgrid.Controller;

/// <summary>
/// Starts runs in the background, at most <see cref="ControllerOptions.MaxParallelStarts"/> at a
/// time, so that the supervisor's next pass never waits for a slow start.
/// </summary>
/// <remarks>
/// The reconciler skips runs whose start is still under way: such a run is "starting" in the
/// store while the backend may not list it yet, and is neither lost nor in need of a new start.
/// </remarks>
public sealed class Launches(IOptions<ControllerOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private readonly SemaphoreSlim _slots = new(options.Value.MaxParallelStarts);

    /// <summary>The runs whose start is under way now.</summary>
    public IReadOnlySet<long> InFlight => _inFlight.Keys.ToHashSet();

    /// <summary>Starts <paramref name="launch"/> for <paramref name="runId"/> unless its start is already under way.</summary>
    public bool TryBegin(long runId, Func<CancellationToken, Task> launch, CancellationToken cancellationToken)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inFlight.TryAdd(runId, gate.Task))
        {
            return false;
        }

        _ = RunAsync(runId, launch, gate, cancellationToken);
        return true;
    }

    /// <summary>Waits for every start under way (at shutdown: a start is short and is let finish).</summary>
    public Task DrainAsync() => Task.WhenAll(_inFlight.Values);

    public void Dispose() => _slots.Dispose();

    private async Task RunAsync(long runId, Func<CancellationToken, Task> launch, TaskCompletionSource gate, CancellationToken cancellationToken)
    {
        try
        {
            await _slots.WaitAsync(cancellationToken);
            try
            {
                await launch(cancellationToken);
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the run stays "starting", and the next controller resumes it.
        }
        finally
        {
            _inFlight.TryRemove(runId, out _);
            gate.TrySetResult();
        }
    }
}
