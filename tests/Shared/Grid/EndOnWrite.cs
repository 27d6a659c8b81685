using Microsoft.Extensions.Time.Testing;
using Toolgrid.Core.Backends;

namespace Toolgrid.Tests.Grid;

/// <summary>
/// What both grid backends must do when the engine writes a run's end to its file of ended jobs
/// (SGE's accounting file, Slurm's jobcomp file): their watch reads the engine then, not at its
/// next periodic read. The watching backend's clock is held short of that read, so only the
/// file's change can bring the end.
/// </summary>
public static class EndOnWrite
{
    /// <param name="watching">A backend on <paramref name="time"/> that knows the run, already running.</param>
    /// <param name="time">Its clock.</param>
    /// <param name="pollInterval">Its <c>PollInterval</c>.</param>
    /// <param name="runId">The run.</param>
    /// <param name="end">Makes the run's command end.</param>
    /// <returns>The run's end, as the watch reported it.</returns>
    public static async Task<BackendRunReport> WatchAsync(IBackend watching, FakeTimeProvider time, TimeSpan pollInterval, long runId, Func<Task> end)
    {
        using var cancel = new CancellationTokenSource();
        var watch = watching.WatchAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        var pending = Task.FromResult(true);
        try
        {
            await NextAsync(watch, runId, BackendRunPhase.Running, next => pending = next);
            // Past the earliest a read may follow the last, short of the periodic one.
            time.Advance(pollInterval / 2);
            await end();
            return await NextAsync(watch, runId, BackendRunPhase.Exited, next => pending = next);
        }
        finally
        {
            // A watch still waiting is ended first: an enumerator cannot be disposed while it moves.
            await cancel.CancelAsync();
            await pending.ContinueWith(_ => { }, TaskScheduler.Default);
            await watch.DisposeAsync();
        }
    }

    private static async Task<BackendRunReport> NextAsync(IAsyncEnumerator<BackendRunReport> watch, long runId, BackendRunPhase phase, Action<Task<bool>> moving)
    {
        while (true)
        {
            var next = watch.MoveNextAsync().AsTask();
            moving(next);
            if (!await next.WaitAsync(Eventually.Patience))
            {
                break;
            }

            if (watch.Current.RunId == runId && watch.Current.Phase == phase)
            {
                return watch.Current;
            }
        }

        throw new InvalidOperationException($"the watch ended before run {runId} was reported {phase}");
    }
}
