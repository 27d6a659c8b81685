using Microsoft.Extensions.DependencyInjection;
using Toolgrid.Contracts.Runs;
using Toolgrid.Controller.Tests.Support;
using Toolgrid.Store;

namespace Toolgrid.Controller.Tests;

/// <summary>
/// <see cref="SupervisorLoop"/> run as the hosted service it is: reconcile at start, then a pass
/// whenever woken or the clock ticks, each failure logged and the loop carried on.
/// </summary>
public sealed class SupervisorLoopTests : IAsyncLifetime
{
    /// <summary>Only catches hangs: a pass takes milliseconds, but the first (EF Core's first queries, JIT) may take seconds on a busy machine.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private ControllerHarness _h = null!;

    public async Task InitializeAsync() => _h = await ControllerHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ExecuteAsync_AtStart_RecordsWhatWasMissedBeforeStartingQueuedRuns()
    {
        var (_, running) = await _h.RunningAsync("old");
        _h.Backend.Hold(RecordingBackend.Exited(running.Id, 0));
        var (_, queued) = await _h.SubmitAsync("new");
        var started = new TaskCompletionSource<RunState>(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.Backend.OnStart = async _ => started.TrySetResult((await _h.GetRunAsync(running.Id)).State);

        var oldRunWhenTheNewStarted = await RunLoopAsync(() => started.Task.WaitAsync(Hang, _h.Token));

        Assert.Equal(RunState.Succeeded, oldRunWhenTheNewStarted);
        Assert.Equal([running.Id, queued.Id], _h.Backend.Started);
        Assert.Equal(RunState.Starting, (await _h.GetRunAsync(queued.Id)).State);
    }

    /// <summary>
    /// Fails on a bug in <c>SupervisorLoop.ExecuteAsync</c>: the reconcile and the step share one
    /// <c>try</c>, and <c>lastReconcile</c> is only set after a reconcile succeeds, so a reconcile
    /// that keeps failing (here, the backend cannot stop one orphan) is tried again on every pass
    /// and the step after it never runs: nothing is started, stopped or retried any more.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_ReconcileThatKeepsFailing_DoesNotKeepQueuedRunsFromStarting()
    {
        _h.Backend.Hold(RecordingBackend.Running(9001));
        _h.Backend.StopFailure = new IOException("cannot write the stop file of run 9001");
        var (_, run) = await _h.SubmitAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.Backend.OnStart = _ =>
        {
            started.TrySetResult();
            return Task.CompletedTask;
        };

        await RunLoopAsync(async () =>
        {
            // The API wakes the supervisor on a submission; the clock ticks too.
            _h.Signal.Wake();
            _h.Time.Advance(TimeSpan.FromSeconds(1));
            try
            {
                await started.Task.WaitAsync(Hang, _h.Token);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"run {run.Id} was never started: every pass of the loop stopped at the failing reconcile");
            }
        });

        Assert.Equal([run.Id], _h.Backend.Started);
        Assert.Contains(_h.Backend.Stops, s => s.RunId == 9001);
    }

    /// <summary>
    /// Where the store's commits are heard of, the loop makes no tick in between: a write that
    /// nobody woke it for (another process's, here another context's) brings a pass within a tick
    /// of being heard, long before the next reconcile (30 s) or the idle pass (5 min). The loop
    /// has nothing to do at start, so that it then sleeps until one of those.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_AWriteNobodyWokeItFor_BringsAPassWithinATickOfBeingHeard()
    {
        var watch = _h.Services.GetRequiredService<StoreCommitWatch>();
        Assert.True(watch.Watching);
        var started = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.Backend.OnStart = launch =>
        {
            started.TrySetResult(launch.RunId);
            return Task.CompletedTask;
        };

        await RunLoopAsync(async () =>
        {
            // The reconcile at start has read the nodes: the pass after it finds nothing to do.
            await UntilAsync(() => _h.Backend.NodeReads >= 1);
            var heard = watch.Heard;
            var (_, run) = await _h.SubmitAsync();
            await UntilAsync(() => watch.Heard > heard);
            _h.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(run.Id, await started.Task.WaitAsync(Hang, _h.Token));
        });
    }

    private async Task UntilAsync(Func<bool> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < Hang, "the store's watch heard nothing of the write");
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, _h.Token);
        }
    }

    private async Task<T> RunLoopAsync<T>(Func<Task<T>> whileRunning)
    {
        T result = default!;
        await RunLoopAsync(async () =>
        {
            result = await whileRunning();
        });
        return result;
    }

    /// <summary>Runs the loop as the host would, while <paramref name="whileRunning"/> goes on.</summary>
    private async Task RunLoopAsync(Func<Task> whileRunning)
    {
        var loop = _h.Loop;
        await loop.StartAsync(_h.Token);
        try
        {
            await whileRunning();
        }
        finally
        {
            await loop.StopAsync(_h.Token);
        }
    }
}
