using Toolgrid.Contracts.Runs;
using Toolgrid.Controller.Tests.Support;

namespace Toolgrid.Controller.Tests;

/// <summary>
/// A controller replaced by a new one over the same store while the backend keeps its runs:
/// nothing is started twice, nothing is forgotten, each end is recorded once.
/// </summary>
public sealed class ControllerRestartTests : IAsyncLifetime
{
    private ControllerHarness _h = null!;

    public async Task InitializeAsync() => _h = await ControllerHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task NewController_AdoptsARunningRun_WithoutStartingIt_AndRecordsItsExitOnce()
    {
        var (_, run) = await _h.RunningAsync();
        var before = await _h.GetRunAsync(run.Id);

        await _h.ReplaceControllerAsync();
        await _h.ReconcileAsync();
        await _h.StepAsync();

        var adopted = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Running, adopted.State);
        Assert.Equal(before.Version, adopted.Version);
        Assert.Single(_h.Backend.Starts);
        Assert.Empty(_h.Backend.Stops);

        var exit = RecordingBackend.Exited(run.Id, 0, finishedAt: ControllerHarness.Start.AddHours(1));
        await _h.ReportAsync(exit);
        var done = await _h.GetRunAsync(run.Id);
        _h.Backend.Hold(exit);
        await _h.ReconcileAsync();

        var after = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(ControllerHarness.Start.AddHours(1), done.FinishedAt);
        Assert.Equal(done.Version, after.Version);
        Assert.Equal(done.FinishedAt, after.FinishedAt);
        Assert.Single(_h.Backend.Starts);
    }

    [Fact]
    public async Task NewController_AdoptsARunStartedJustBeforeTheOldOneDied_WithoutStartingItAgain()
    {
        // The old controller placed the run and the backend took it, but its "running" report
        // was never recorded.
        var (_, run) = await _h.SubmitAsync();
        await _h.StepAsync();
        Assert.Equal(RunState.Starting, (await _h.GetRunAsync(run.Id)).State);

        await _h.ReplaceControllerAsync();
        await _h.ReconcileAsync();
        await _h.StepAsync();

        Assert.Equal(RunState.Running, (await _h.GetRunAsync(run.Id)).State);
        Assert.Single(_h.Backend.Starts);
    }

    [Fact]
    public async Task NewController_RecordsAnExitThatHappenedWhileNoControllerWasUp()
    {
        var (_, run) = await _h.RunningAsync();

        _h.Backend.Hold(RecordingBackend.Exited(run.Id, 1, finishedAt: ControllerHarness.Start.AddMinutes(2)));
        await _h.ReplaceControllerAsync();
        await _h.ReconcileAsync();

        var done = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Failed, done.State);
        Assert.Equal(1, done.ExitCode);
        Assert.Equal(ControllerHarness.Start.AddMinutes(2), done.FinishedAt);
        Assert.Equal([run.Id], _h.Backend.Forgets);
    }

    [Fact]
    public async Task NewController_EndRecordedButNotForgotten_IsForgottenWithoutBeingRecordedAgain()
    {
        var (_, run) = await _h.RunningAsync();
        var exit = RecordingBackend.Exited(run.Id, 0);

        // The old controller dies inside ForgetAsync: the end is stored, the backend still keeps it.
        _h.Backend.OnForget = _ => throw new OperationCanceledException("controller killed");
        await Assert.ThrowsAsync<OperationCanceledException>(() => _h.ReportAsync(exit));
        var recorded = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Succeeded, recorded.State);
        Assert.NotEmpty(await _h.Backend.ListAsync(_h.Token));

        _h.Backend.OnForget = null;
        _h.Time.Advance(TimeSpan.FromMinutes(1));
        await _h.ReplaceControllerAsync();
        await _h.ReconcileAsync();

        var after = await _h.GetRunAsync(run.Id);
        Assert.Equal(recorded.Version, after.Version);
        Assert.Equal(recorded.FinishedAt, after.FinishedAt);
        Assert.Empty(await _h.Backend.ListAsync(_h.Token));
    }
}
