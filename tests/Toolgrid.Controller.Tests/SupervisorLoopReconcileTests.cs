using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Toolgrid.Contracts.Runs;
using Toolgrid.Controller.Tests.Support;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Nodes;
using Toolgrid.Core.Runs;
using Toolgrid.Store;

namespace Toolgrid.Controller.Tests;

/// <summary><see cref="SupervisorLoop.ReconcileAsync"/>: the store and the backend brought to agree.</summary>
public sealed class SupervisorLoopReconcileTests : IAsyncLifetime
{
    private ControllerHarness _h = null!;

    public async Task InitializeAsync() => _h = await ControllerHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ReconcileAsync_StartingRunTheBackendNeverHeardOf_IsStartedExactlyOnce()
    {
        // The controller recorded the placement, then died before asking the backend.
        var (_, run) = await _h.SubmitAsync();
        await PlaceWithoutStartingAsync(run.Id);

        await _h.ReconcileAsync();

        var launch = Assert.Single(_h.Backend.Starts);
        Assert.Equal(run.Id, launch.RunId);
        Assert.Equal(RecordingBackend.NodeName, launch.Node);

        // The backend now lists it as running: the next passes adopt it and start nothing.
        await _h.ReconcileAsync();
        await _h.StepAsync();
        await _h.ReconcileAsync();

        Assert.Single(_h.Backend.Starts);
        Assert.Equal(RunState.Running, (await _h.GetRunAsync(run.Id)).State);
    }

    [Fact]
    public async Task ReconcileAsync_ResumedStartThatTheBackendRefuses_FailsTheRun()
    {
        var (_, run) = await _h.SubmitAsync();
        await PlaceWithoutStartingAsync(run.Id);
        _h.Backend.StartFailure = new InvalidOperationException("shepherd missing");

        await _h.ReconcileAsync();

        var failed = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Failed, failed.State);
        Assert.Equal(RunReason.StartFailed, failed.Reason);
        Assert.Equal("the fake backend could not start it: shepherd missing", failed.Message);
    }

    [Fact]
    public async Task ReconcileAsync_RunningRunTheBackendDoesNotList_IsLostAsVanished()
    {
        var (_, run) = await _h.RunningAsync();
        _h.Backend.Drop(run.Id);
        _h.Time.Advance(TimeSpan.FromMinutes(3));

        await _h.ReconcileAsync();

        var lost = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Lost, lost.State);
        Assert.Equal(RunReason.Vanished, lost.Reason);
        Assert.Contains(RecordingBackend.NodeName, lost.Message, StringComparison.Ordinal);
        Assert.Equal(ControllerHarness.Start.AddMinutes(3), lost.FinishedAt);
        Assert.Single(_h.Backend.Starts);
    }

    [Fact]
    public async Task ReconcileAsync_LostRunOfAJobWithRetry_IsRetriedByTheNextStep()
    {
        var (job, run) = await _h.RunningAsync(configure: j => j.Retry = 1);
        _h.Backend.Drop(run.Id);

        await _h.ReconcileAsync();
        await _h.StepAsync();

        var runs = await _h.RunsOfAsync(job.Id);
        Assert.Equal([RunState.Lost, RunState.Queued], runs.Select(r => r.State));
        Assert.Equal(2, runs[1].Attempt);
    }

    [Fact]
    public async Task ReconcileAsync_MissedExitReport_IsRecordedAndThenForgotten()
    {
        var (_, run) = await _h.RunningAsync();
        var finishedAt = _h.Time.GetUtcNow().AddSeconds(30);
        _h.Backend.Hold(RecordingBackend.Exited(run.Id, 7, finishedAt: finishedAt));

        await _h.ReconcileAsync();

        var done = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Failed, done.State);
        Assert.Equal(7, done.ExitCode);
        Assert.Equal(finishedAt, done.FinishedAt);
        Assert.Equal([run.Id], _h.Backend.Forgets);
        Assert.Empty(await _h.Backend.ListAsync(_h.Token));
    }

    [Fact]
    public async Task ReconcileAsync_MissedRunningReport_AdoptsTheStartingRun()
    {
        var (_, run) = await _h.SubmitAsync();
        await _h.StepAsync();
        _h.Backend.Hold(RecordingBackend.Running(run.Id, pid: 777, startedAt: ControllerHarness.Start));

        await _h.ReconcileAsync();

        var running = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Running, running.State);
        Assert.Equal(777, running.Pid);
        Assert.Single(_h.Backend.Starts);
        Assert.Empty(_h.Backend.Stops);
    }

    [Fact]
    public async Task ReconcileAsync_BackendRunsARunTheStoreDoesNotKnow_StopsIt()
    {
        _h.Backend.Hold(RecordingBackend.Running(9001));

        await _h.ReconcileAsync();

        var stop = Assert.Single(_h.Backend.Stops);
        Assert.Equal(9001, stop.RunId);
        Assert.True(stop.GracePeriod > TimeSpan.Zero);
        Assert.Empty(_h.Backend.Forgets);
        Assert.Empty(await _h.AllRunsAsync());
    }

    [Fact]
    public async Task ReconcileAsync_BackendRunsARunTheStoreHasEnded_StopsIt_AndKeepsTheRecordedEnd()
    {
        var (_, run) = await _h.RunningAsync();
        _h.Backend.Drop(run.Id);
        await _h.ReconcileAsync();
        var lost = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Lost, lost.State);

        // The node comes back with the run still going.
        _h.Backend.Hold(RecordingBackend.Running(run.Id));
        await _h.ReconcileAsync();

        Assert.Equal([run.Id], _h.Backend.Stops.Select(s => s.RunId));
        var after = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Lost, after.State);
        Assert.Equal(lost.Version, after.Version);
    }

    [Fact]
    public async Task ReconcileAsync_BackendKeepsAnEndTheStoreHasAlreadyRecorded_ForgetsIt()
    {
        var (_, run) = await _h.RunningAsync();
        await _h.ReportAsync(RecordingBackend.Exited(run.Id, 0));
        var recorded = await _h.GetRunAsync(run.Id);

        // The controller died between recording the end and telling the backend to forget it.
        _h.Backend.Hold(RecordingBackend.Exited(run.Id, 0));
        await _h.ReconcileAsync();

        Assert.Equal([run.Id, run.Id], _h.Backend.Forgets);
        Assert.Empty(_h.Backend.Stops);
        Assert.Empty(await _h.Backend.ListAsync(_h.Token));
        var after = await _h.GetRunAsync(run.Id);
        Assert.Equal(recorded.Version, after.Version);
        Assert.Equal(recorded.FinishedAt, after.FinishedAt);
    }

    [Fact]
    public async Task ReconcileAsync_BackendKeepsAnEndOfARunTheStoreNeverKnew_ForgetsIt()
    {
        _h.Backend.Hold(RecordingBackend.Exited(9002, 0));

        await _h.ReconcileAsync();

        Assert.Equal([9002L], _h.Backend.Forgets);
        Assert.Empty(_h.Backend.Stops);
    }

    [Fact]
    public async Task ReconcileAsync_QueuedRun_IsLeftToTheSupervisor()
    {
        var (_, run) = await _h.SubmitAsync();

        await _h.ReconcileAsync();

        Assert.Empty(_h.Backend.Starts);
        Assert.Equal(RunState.Queued, (await _h.GetRunAsync(run.Id)).State);
    }

    [Fact]
    public async Task ReconcileAsync_RecordsTheBackendsNodes_AndUpdatesThemLater()
    {
        _h.Backend.SetNodes(
            RecordingBackend.Node("node1", slots: 4, queues: ["default", "bigmem"]),
            RecordingBackend.Node("node2", slots: 2, up: false));

        await _h.ReconcileAsync();

        await using (var db = _h.NewContext())
        {
            var nodes = await db.Nodes.AsNoTracking().OrderBy(n => n.Name).ToListAsync(_h.Token);
            Assert.Equal(["node1", "node2"], nodes.Select(n => n.Name));
            Assert.All(nodes, n => Assert.Equal("fake", n.Backend));
            Assert.All(nodes, n => Assert.Equal(ControllerHarness.Start, n.LastSeenAt));
            Assert.Equal(NodeState.Up, nodes[0].State);
            Assert.Equal("default,bigmem", nodes[0].Queues);
            Assert.Equal(4, nodes[0].Slots);
            Assert.Equal(64 * Contracts.Jobs.MemorySize.GiB, nodes[0].MemoryBytes);
            Assert.Equal(16_000, nodes[0].CpuMillis);
            Assert.Equal(NodeState.Down, nodes[1].State);
        }

        _h.Backend.SetNodes(RecordingBackend.Node("node1", slots: 4, up: false));
        _h.Time.Advance(TimeSpan.FromSeconds(30));
        await _h.ReconcileAsync();

        await using (var db = _h.NewContext())
        {
            var node1 = await db.Nodes.AsNoTracking().SingleAsync(n => n.Name == "node1", _h.Token);
            Assert.Equal(NodeState.Down, node1.State);
            Assert.Equal(ControllerHarness.Start.AddSeconds(30), node1.LastSeenAt);
            Assert.Equal(2, await db.Nodes.CountAsync(_h.Token));
        }
    }

    [Fact]
    public async Task ReconcileAsync_NodeAsItWas_CommitsNothing_UntilItsSightingIsOld()
    {
        await _h.ReconcileAsync();
        await using var commits = new StoreCommits(_h.Services.GetRequiredService<IDbContextFactory<ToolgridDbContext>>());
        await commits.SinceLastAskedAsync(_h.Token);

        _h.Time.Advance(TimeSpan.FromSeconds(30));
        await _h.ReconcileAsync();

        Assert.False(await commits.SinceLastAskedAsync(_h.Token));
        _h.Time.Advance(NodeSighting.Refresh);
        await _h.ReconcileAsync();

        Assert.True(await commits.SinceLastAskedAsync(_h.Token));
        await using var db = _h.NewContext();
        var node = await db.Nodes.AsNoTracking().SingleAsync(_h.Token);
        Assert.Equal(_h.Time.GetUtcNow(), node.LastSeenAt);
    }

    [Fact]
    public async Task ReconcileReads_NothingCommitted_GivesTheLastRead_ACommitIsReadAgain()
    {
        var reads = _h.Services.GetRequiredService<ReconcileReads>();
        var (_, running) = await _h.RunningAsync();
        var first = await reads.ActiveRunsAsync(_h.Token);

        var second = await reads.ActiveRunsAsync(_h.Token);

        Assert.Same(first, second);
        var (_, queued) = await _h.SubmitAsync("other");
        var third = await reads.ActiveRunsAsync(_h.Token);
        Assert.Equal([running.Id, queued.Id], third.Select(r => r.Id));
    }

    [Fact]
    public async Task ReconcileAsync_RunPlacedSinceTheLastReconcile_IsStarted()
    {
        var (_, run) = await _h.SubmitAsync();
        await _h.ReconcileAsync();
        Assert.Empty(_h.Backend.Starts);

        // The controller recorded the placement, then died before asking the backend.
        await PlaceWithoutStartingAsync(run.Id);
        await _h.ReconcileAsync();

        Assert.Equal(run.Id, Assert.Single(_h.Backend.Starts).RunId);
    }

    [Fact]
    public async Task ReconcileAsync_WhenStoreAndBackendAgree_ChangesNothing()
    {
        var (_, run) = await _h.RunningAsync();
        var before = await _h.GetRunAsync(run.Id);
        var next = _h.Events.NextChange;

        await _h.ReconcileAsync();

        Assert.Equal(before.Version, (await _h.GetRunAsync(run.Id)).Version);
        Assert.Single(_h.Backend.Starts);
        Assert.Empty(_h.Backend.Stops);
        Assert.Empty(_h.Backend.Forgets);
        Assert.False(next.IsCompleted);
    }

    [Fact]
    public async Task ReconcileAsync_StartFailureReportedByTheBackend_FailsTheRunWithTheBackendsMessage()
    {
        var (_, run) = await _h.SubmitAsync();
        await _h.StepAsync();
        _h.Backend.Hold(new BackendRunReport(run.Id, RecordingBackend.NodeName, BackendRunPhase.Exited, StartFailed: true, Message: "cannot enter /srv/tools/mytool"));

        await _h.ReconcileAsync();

        var failed = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Failed, failed.State);
        Assert.Equal(RunReason.StartFailed, failed.Reason);
        Assert.Equal("cannot enter /srv/tools/mytool", failed.Message);
        Assert.Equal([run.Id], _h.Backend.Forgets);
    }

    /// <summary>Records the run as placed on the node, as <c>SupervisorSteps</c> does just before it asks the backend.</summary>
    private async Task PlaceWithoutStartingAsync(long runId)
    {
        await using var db = _h.NewContext();
        var run = await db.Runs.SingleAsync(r => r.Id == runId, _h.Token);
        Assert.True(RunTransitions.Place(run, RecordingBackend.NodeName, _h.Time.GetUtcNow()));
        await db.SaveChangesAsync(_h.Token);
    }
}
