using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Runs;
using Toolgrid.Controller.Tests.Support;
using Toolgrid.Core.Backends;

namespace Toolgrid.Controller.Tests;

/// <summary><see cref="RunRecorder"/>: what backends report, recorded in the store exactly once.</summary>
public sealed class RunRecorderTests : IAsyncLifetime
{
    private ControllerHarness _h = null!;

    public async Task InitializeAsync() => _h = await ControllerHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RecordAsync_SameExitTwice_RecordsOneEnd_AndForgettingAgainIsHarmless()
    {
        var (_, run) = await _h.RunningAsync();
        var exit = RecordingBackend.Exited(run.Id, 2);

        await _h.ReportAsync(exit);
        var first = await _h.GetRunAsync(run.Id);
        _h.Time.Advance(TimeSpan.FromMinutes(1));
        await _h.ReportAsync(exit);
        _h.Time.Advance(TimeSpan.FromMinutes(1));
        _h.Backend.Hold(exit);
        await _h.ReconcileAsync();

        var last = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Failed, first.State);
        Assert.Equal(ControllerHarness.Start, first.FinishedAt);
        Assert.Equal(first.Version, last.Version);
        Assert.Equal(first.FinishedAt, last.FinishedAt);
        Assert.Equal(first.State, last.State);
        Assert.Equal(first.Message, last.Message);
        Assert.All(_h.Backend.Forgets, id => Assert.Equal(run.Id, id));
        Assert.Equal(3, _h.Backend.Forgets.Count);
    }

    [Fact]
    public async Task RecordAsync_DifferentExitAfterTheEnd_DoesNotRewriteIt()
    {
        var (_, run) = await _h.RunningAsync();
        await _h.ReportAsync(RecordingBackend.Exited(run.Id, 0));

        await _h.ReportAsync(RecordingBackend.Exited(run.Id, 1, signal: Signals.Kill));
        await _h.ReportAsync(new BackendRunReport(run.Id, RecordingBackend.NodeName, BackendRunPhase.Lost));
        await _h.ReportAsync(RecordingBackend.Running(run.Id, pid: 1));

        var done = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(0, done.ExitCode);
        Assert.Null(done.Signal);
        Assert.Equal(4242, done.Pid);
    }

    [Fact]
    public async Task RecordAsync_RunningAndExitInOneBatch_TheExitWinsWhateverTheOrder()
    {
        var (_, a) = await _h.SubmitAsync("a");
        var (_, b) = await _h.SubmitAsync("b");
        await _h.StepAsync();

        await _h.Recorder.RecordAsync(
            [
                RecordingBackend.Running(a.Id, pid: 11),
                RecordingBackend.Exited(a.Id, 0),
                RecordingBackend.Exited(b.Id, 4),
                RecordingBackend.Running(b.Id, pid: 12),
            ],
            _h.Token);

        var doneA = await _h.GetRunAsync(a.Id);
        var doneB = await _h.GetRunAsync(b.Id);
        Assert.Equal(RunState.Succeeded, doneA.State);
        Assert.Equal(RunState.Failed, doneB.State);
        Assert.Equal(4, doneB.ExitCode);
        Assert.Equal([a.Id, b.Id], _h.Backend.Forgets.Order());
    }

    [Fact]
    public async Task RecordAsync_ExitWhileStillStarting_RecordsTheEnd()
    {
        var (_, run) = await _h.SubmitAsync();
        await _h.StepAsync();
        var startedAt = ControllerHarness.Start.AddMilliseconds(5);
        var finishedAt = ControllerHarness.Start.AddMilliseconds(9);

        await _h.ReportAsync(new BackendRunReport(run.Id, RecordingBackend.NodeName, BackendRunPhase.Exited, Pid: 55, StartedAt: startedAt, FinishedAt: finishedAt, ExitCode: 0));

        var done = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(55, done.Pid);
        Assert.Equal(startedAt, done.StartedAt);
        Assert.Equal(finishedAt, done.FinishedAt);
    }

    [Fact]
    public async Task RecordAsync_OutOfMemory_FailsTheRunSayingItsLimit()
    {
        var (_, run) = await _h.RunningAsync(configure: j => j.MemoryBytes = MemorySize.GiB);

        await _h.ReportAsync(new BackendRunReport(run.Id, RecordingBackend.NodeName, BackendRunPhase.Exited, Signal: Signals.Kill, OutOfMemory: true));

        var failed = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Failed, failed.State);
        Assert.Equal(RunReason.OutOfMemory, failed.Reason);
        Assert.Contains(MemorySize.Format(MemorySize.GiB), failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordAsync_ShepherdLost_MarksTheRunLost_AndForgetsIt()
    {
        var (_, run) = await _h.RunningAsync();

        await _h.ReportAsync(new BackendRunReport(run.Id, RecordingBackend.NodeName, BackendRunPhase.Lost));

        var lost = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Lost, lost.State);
        Assert.Equal(RunReason.ShepherdLost, lost.Reason);
        Assert.Equal([run.Id], _h.Backend.Forgets);
    }

    [Fact]
    public async Task RecordAsync_RunningReportOfARunTheStoreDoesNotKnow_StopsIt()
    {
        await _h.ReportAsync(RecordingBackend.Running(424242));

        var stop = Assert.Single(_h.Backend.Stops);
        Assert.Equal(424242, stop.RunId);
        Assert.Empty(_h.Backend.Forgets);
    }

    [Fact]
    public async Task RecordAsync_RepeatedRunningReport_ChangesNothing()
    {
        var (_, run) = await _h.RunningAsync();
        var before = await _h.GetRunAsync(run.Id);
        var next = _h.Events.NextChange;

        await _h.ReportAsync(RecordingBackend.Running(run.Id, pid: 999));

        var after = await _h.GetRunAsync(run.Id);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(RunState.Running, after.State);
        Assert.Empty(_h.Backend.Stops);
        Assert.False(next.IsCompleted);
    }

    [Fact]
    public async Task RecordAsync_AChange_WakesTheSupervisorAndPublishesARunEvent()
    {
        var (_, run) = await _h.SubmitAsync();
        await _h.StepAsync();
        var next = _h.Events.NextChange;
        var wait = _h.Signal.WaitAsync(TimeSpan.FromHours(1), _h.Time, _h.Token);
        Assert.False(wait.IsCompleted);

        await _h.ReportAsync(RecordingBackend.Running(run.Id));

        Assert.True(next.IsCompleted);

        // The supervisor's wait ends without the clock moving.
        await wait.WaitAsync(TimeSpan.FromSeconds(30), _h.Token);
    }
}
