using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Runs;
using Toolgrid.Controller.Tests.Support;
using Toolgrid.Core.Nodes;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Supervision;
using Toolgrid.Store;

namespace Toolgrid.Controller.Tests;

/// <summary><see cref="SupervisorLoop.StepAsync"/>: one pass of the supervisor over a real store and a recording backend.</summary>
public sealed class SupervisorLoopStepTests : IAsyncLifetime
{
    private ControllerHarness _h = null!;

    public async Task InitializeAsync() => _h = await ControllerHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task StepAsync_QueuedRun_IsRecordedStartingOnItsNodeBeforeTheBackendHearsOfIt()
    {
        var (_, run) = await _h.SubmitAsync();
        Run? seenFromStart = null;
        _h.Backend.OnStart = async launch => seenFromStart = await _h.GetRunAsync(launch.RunId);

        await _h.StepAsync();

        var launch = Assert.Single(_h.Backend.Starts);
        Assert.Equal(run.Id, launch.RunId);
        Assert.Equal(RecordingBackend.NodeName, launch.Node);
        Assert.NotNull(seenFromStart);
        Assert.Equal(RunState.Starting, seenFromStart.State);
        Assert.Equal(RunReason.Placed, seenFromStart.Reason);
        Assert.Equal(RecordingBackend.NodeName, seenFromStart.Node);
    }

    [Fact]
    public async Task StepAsync_EngineThatPlacesRuns_IsHandedMaxParallelStartsRunsAtOnce_AndAHungStartHoldsOnlyItsOwnPlace()
    {
        var hang = TimeSpan.FromSeconds(30);
        await using var h = await ControllerHarness.CreateAsync(new Dictionary<string, string?> { ["Toolgrid:Controller:MaxParallelStarts"] = "3" });
        h.Backend.PlacesRuns = true;
        var runs = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            runs.Add((await h.SubmitAsync($"job{i}")).Run.Id);
        }

        // The first start hangs, as a qsub would on a qmaster that takes it and never answers; the others wait for a word.
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var threeUnderWay = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allUnderWay = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var underWay = 0;
        h.Backend.OnStart = async launch =>
        {
            var count = Interlocked.Increment(ref underWay);
            (count == 3 ? threeUnderWay : count == runs.Count ? allUnderWay : null)?.TrySetResult();

            await (launch.RunId == runs[0] ? hung.Task : go.Task);
        };
        try
        {
            await h.Loop.StepAsync(h.Token);
            await threeUnderWay.Task.WaitAsync(hang);
            var atOnce = h.Backend.Starts.Count;
            go.SetResult();
            await allUnderWay.Task.WaitAsync(hang);

            Assert.Equal(3, atOnce);
            Assert.Equal(runs.Order(), h.Backend.Starts.Select(s => s.RunId).Order());
            Assert.Equal(RunState.Starting, (await h.GetRunAsync(runs[0])).State);
        }
        finally
        {
            hung.TrySetResult();
            go.TrySetResult();
        }
    }

    [Fact]
    public async Task StepAsync_EngineThatPlacesRuns_GetsTheRunWithItsQueueAndNoNode_AndTheReportedNodeIsRecorded()
    {
        _h.Backend.PlacesRuns = true;
        _h.Backend.SetNodes([]);
        var (_, run) = await _h.SubmitAsync(configure: j => j.Queue = "dedicated");

        await _h.StepAsync();
        var starting = await _h.GetRunAsync(run.Id);
        await _h.ReportAsync(RecordingBackend.Running(run.Id, node: "exec2"));

        var launch = Assert.Single(_h.Backend.Starts);
        Assert.Equal((run.Id, null, "dedicated"), (launch.RunId, launch.Node, launch.Queue));
        Assert.Equal((RunState.Starting, null), (starting.State, starting.Node));
        Assert.Equal("exec2", (await _h.GetRunAsync(run.Id)).Node);
    }

    [Fact]
    public async Task StepAsync_EngineThatPlacesRuns_DedicatedQueueWithNoUsableNode_LaunchesInDefault_AndRecordsIt()
    {
        _h.Backend.PlacesRuns = true;
        _h.Backend.SetNodes(RecordingBackend.Node("node1"), RecordingBackend.Node("node2", up: false, queues: ["default", "dedicated"]));
        var (_, run) = await _h.SubmitAsync(configure: j => j.Queue = "dedicated");

        await _h.StepAsync();

        var launch = Assert.Single(_h.Backend.Starts);
        var starting = await _h.GetRunAsync(run.Id);
        Assert.Equal("default", launch.Queue);
        Assert.Equal(("dedicated", "default"), (starting.Queue, starting.LaunchQueue));
    }

    [Fact]
    public async Task StepAsync_EngineThatPlacesRuns_ARunInDefault_IsHandedOverOnTheLastNodeRead_ADedicatedQueueReadsThemAgain()
    {
        _h.Backend.PlacesRuns = true;
        _h.Backend.SetNodes(RecordingBackend.Node("node1", queues: ["default", "dedicated"]));
        await _h.SubmitAsync("first");
        await _h.StepAsync();
        var reads = _h.Backend.NodeReads;

        // The dedicated queue's only node goes down: only a pass that reads the nodes again can know.
        _h.Backend.SetNodes(RecordingBackend.Node("node1", up: false, queues: ["default", "dedicated"]));
        await _h.SubmitAsync("second");
        await _h.StepAsync();
        var afterDefault = _h.Backend.NodeReads;
        var (_, dedicated) = await _h.SubmitAsync("third", j => j.Queue = "dedicated");
        await _h.StepAsync();

        Assert.Equal(3, _h.Backend.Starts.Count);
        Assert.Equal(reads, afterDefault);
        Assert.Equal(reads + 1, _h.Backend.NodeReads);
        Assert.Equal("default", _h.Backend.Starts.Single(s => s.RunId == dedicated.Id).Queue);
    }

    [Fact]
    public async Task StepAsync_NodesReadDifferentFromTheStore_AreRecordedAtOnce_AndTheSameReadAgainCommitsNothing()
    {
        await _h.ReconcileAsync();
        await using var commits = new StoreCommits(_h.Services.GetRequiredService<IDbContextFactory<ToolgridDbContext>>());
        _h.Backend.SetNodes(RecordingBackend.Node(up: false));

        await _h.StepAsync();
        var recorded = await commits.SinceLastAskedAsync(_h.Token);
        await _h.StepAsync();

        Assert.True(recorded);
        Assert.False(await commits.SinceLastAskedAsync(_h.Token));
        await using var db = _h.NewContext();
        Assert.Equal(NodeState.Down, (await db.Nodes.AsNoTracking().SingleAsync(_h.Token)).State);
    }

    [Theory]
    [InlineData(0, RunState.Succeeded, "exit code 0")]
    [InlineData(3, RunState.Failed, "exit code 3")]
    public async Task StepThenReports_RunGoesQueuedStartingRunningEnded_AndIsForgottenOnlyOnceTheEndIsStored(int exitCode, RunState ended, string message)
    {
        var (_, run) = await _h.SubmitAsync();
        await _h.StepAsync();
        Assert.Equal(RunState.Starting, (await _h.GetRunAsync(run.Id)).State);

        var startedAt = _h.Time.GetUtcNow().AddMilliseconds(20);
        await _h.ReportAsync(RecordingBackend.Running(run.Id, startedAt: startedAt, pid: 31337));

        var running = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Running, running.State);
        Assert.Equal(RunReason.Started, running.Reason);
        Assert.Equal(31337, running.Pid);
        Assert.Equal(startedAt, running.StartedAt);
        Assert.Null(running.FinishedAt);
        Assert.Empty(_h.Backend.Forgets);

        Run? seenFromForget = null;
        _h.Backend.OnForget = async id => seenFromForget = await _h.GetRunAsync(id);
        var finishedAt = startedAt.AddMinutes(5);
        await _h.ReportAsync(RecordingBackend.Exited(run.Id, exitCode, finishedAt: finishedAt));

        var done = await _h.GetRunAsync(run.Id);
        Assert.Equal(ended, done.State);
        Assert.Equal(RunReason.Exited, done.Reason);
        Assert.Equal(exitCode, done.ExitCode);
        Assert.Equal(message, done.Message);
        Assert.Equal(finishedAt, done.FinishedAt);
        Assert.Equal(startedAt, done.StartedAt);
        Assert.Equal([run.Id], _h.Backend.Forgets);
        Assert.NotNull(seenFromForget);
        Assert.Equal(ended, seenFromForget.State);
        Assert.Equal(exitCode, seenFromForget.ExitCode);
        Assert.Empty(await _h.Backend.ListAsync(_h.Token));
    }

    [Fact]
    public async Task StepAsync_StartingRun_IsNotStartedAgainByTheNextStep()
    {
        var (_, run) = await _h.SubmitAsync();

        await _h.StepAsync();
        await _h.StepAsync();
        await _h.ReportAsync(RecordingBackend.Running(run.Id));
        await _h.StepAsync();

        Assert.Equal([run.Id], _h.Backend.Started);
    }

    [Fact]
    public async Task StepAsync_BackendRefusesTheStart_RunFailsAsStartFailedWithAMessageNamingTheBackend()
    {
        var (_, run) = await _h.SubmitAsync();
        _h.Backend.StartFailure = new InvalidOperationException("no such user tools.mytool");

        await _h.StepAsync();

        var failed = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Failed, failed.State);
        Assert.Equal(RunReason.StartFailed, failed.Reason);
        Assert.Equal("start-failed", RunWire.Of(failed.Reason));
        Assert.Equal("the fake backend could not start it: no such user tools.mytool", failed.Message);
        Assert.Equal(ControllerHarness.Start, failed.FinishedAt);
        Assert.Equal(WaitExitCode.StartFailed, WaitExitCode.For(failed.State, failed.Reason, failed.ExitCode, failed.Signal));
    }

    [Fact]
    public async Task StepAsync_StartFailedWithRetryOne_QueuesOneSecondAttemptOnTheNextStep_AndNoThird()
    {
        var (job, first) = await _h.SubmitAsync(configure: j => j.Retry = 1);
        _h.Backend.StartFailure = new InvalidOperationException("node is full");

        await _h.StepAsync();
        Assert.Equal([first.Id], (await _h.RunsOfAsync(job.Id)).Select(r => r.Id));

        await _h.StepAsync();
        var runs = await _h.RunsOfAsync(job.Id);
        Assert.Equal(2, runs.Count);
        var second = runs[1];
        Assert.Equal(2, second.Attempt);
        Assert.Equal(RunState.Queued, second.State);
        Assert.Equal(RunReason.Retry, second.Reason);
        Assert.Equal(job.Command, second.Command);

        // The second attempt is placed and fails to start too; the policy allows no third.
        await _h.StepAsync();
        Assert.Equal([first.Id, second.Id], _h.Backend.Started);
        Assert.Equal(RunState.Failed, (await _h.GetRunAsync(second.Id)).State);

        await _h.StepAsync();
        await _h.StepAsync();
        Assert.Equal(2, (await _h.RunsOfAsync(job.Id)).Count);
        Assert.Equal(2, _h.Backend.Starts.Count);
    }

    [Fact]
    public async Task StepAsync_StartFailedWithRetryZero_QueuesNoOtherAttempt()
    {
        var (job, run) = await _h.SubmitAsync(configure: j => j.Retry = 0);
        _h.Backend.StartFailure = new InvalidOperationException("no such user");

        await _h.StepAsync();
        await _h.StepAsync();
        await _h.StepAsync();

        var only = Assert.Single(await _h.RunsOfAsync(job.Id));
        Assert.Equal(run.Id, only.Id);
        Assert.Equal(RunState.Failed, only.State);
        Assert.Single(_h.Backend.Starts);
    }

    [Fact]
    public async Task StepAsync_RunThatExitedNonZeroWithRetry_IsRetried_ButASuccessIsNot()
    {
        var (failingJob, failing) = await _h.RunningAsync("failing", j => j.Retry = 1);
        var (passingJob, passing) = await _h.RunningAsync("passing", j => j.Retry = 1);

        await _h.ReportAsync(RecordingBackend.Exited(failing.Id, 1), RecordingBackend.Exited(passing.Id, 0));
        await _h.StepAsync();

        Assert.Equal([1, 2], (await _h.RunsOfAsync(failingJob.Id)).Select(r => r.Attempt));
        Assert.Single(await _h.RunsOfAsync(passingJob.Id));
    }

    [Fact]
    public async Task StepAsync_NodeWithTwoSlotsAndFiveQueuedRuns_StartsTwo_ThenOneMoreAfterOneExits()
    {
        _h.Backend.SetNodes(RecordingBackend.Node(slots: 2));
        var runs = new List<Run>();
        for (var i = 1; i <= 5; i++)
        {
            runs.Add((await _h.SubmitAsync("job" + i)).Run);
        }

        await _h.StepAsync();
        Assert.Equal([runs[0].Id, runs[1].Id], _h.Backend.Started.Order());

        // Runs still starting hold their slots.
        await _h.StepAsync();
        Assert.Equal(2, _h.Backend.Starts.Count);

        await _h.ReportAsync(RecordingBackend.Running(runs[0].Id), RecordingBackend.Running(runs[1].Id));
        await _h.StepAsync();
        Assert.Equal(2, _h.Backend.Starts.Count);

        await _h.ReportAsync(RecordingBackend.Exited(runs[0].Id, 0));
        await _h.StepAsync();

        Assert.Equal([runs[0].Id, runs[1].Id, runs[2].Id], _h.Backend.Started.Order());
        var states = (await _h.AllRunsAsync()).Select(r => r.State).ToList();
        Assert.Equal([RunState.Succeeded, RunState.Running, RunState.Starting, RunState.Queued, RunState.Queued], states);
    }

    [Fact]
    public async Task StepAsync_NoNodeUp_LeavesTheRunQueued()
    {
        _h.Backend.SetNodes(RecordingBackend.Node(up: false));
        var (_, run) = await _h.SubmitAsync();

        await _h.StepAsync();

        Assert.Empty(_h.Backend.Starts);
        Assert.Equal(RunState.Queued, (await _h.GetRunAsync(run.Id)).State);
    }

    [Fact]
    public async Task StepAsync_DeletedJobWithARunningRun_StopsItWithTheJobsGracePeriod_AndItStaysRunningUntilItExits()
    {
        var (job, run) = await _h.RunningAsync(configure: j => j.GracePeriodSeconds = 40);
        await _h.UpdateJobAsync(job.Id, j => j.DeletedAt = _h.Time.GetUtcNow());

        await _h.StepAsync();

        Assert.Equal([(run.Id, TimeSpan.FromSeconds(40))], _h.Backend.Stops);
        var stopping = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Running, stopping.State);
        Assert.Equal(RunReason.JobDeleted, stopping.StopReason);
        Assert.Equal(ControllerHarness.Start, stopping.StopRequestedAt);
        Assert.NotNull(await _h.FindJobAsync(job.Id));

        // Asked once: the next steps within the grace period do not ask again.
        _h.Time.Advance(TimeSpan.FromSeconds(10));
        await _h.StepAsync();
        Assert.Single(_h.Backend.Stops);

        await _h.ReportAsync(RecordingBackend.Exited(run.Id, exitCode: null, signal: Signals.Term));

        var killed = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Killed, killed.State);
        Assert.Equal(RunReason.JobDeleted, killed.Reason);
        Assert.Equal("job-deleted", RunWire.Of(killed.Reason));
        Assert.Equal(Signals.Term, killed.Signal);
        Assert.Equal(WaitExitCode.Killed, WaitExitCode.For(killed.State, killed.Reason, killed.ExitCode, killed.Signal));
        Assert.NotNull(await _h.FindJobAsync(job.Id));

        _h.Time.Advance(Supervisor.EndedJobKept);
        await _h.StepAsync();

        Assert.Null(await _h.FindJobAsync(job.Id));
        Assert.Empty(await _h.RunsOfAsync(job.Id));
        Assert.Single(_h.Backend.Stops);
    }

    [Fact]
    public async Task StepAsync_DeletedJobWhoseRunIgnoresTheStop_IsAskedAgainAfterGracePlusResendDelay()
    {
        var (job, run) = await _h.RunningAsync(configure: j => j.GracePeriodSeconds = 40);
        await _h.UpdateJobAsync(job.Id, j => j.DeletedAt = _h.Time.GetUtcNow());
        await _h.StepAsync();

        _h.Time.Advance(TimeSpan.FromSeconds(40) + Core.Supervision.Supervisor.StopResendAfter);
        await _h.StepAsync();
        Assert.Single(_h.Backend.Stops);

        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.StepAsync();

        Assert.Equal([run.Id, run.Id], _h.Backend.Stops.Select(s => s.RunId));
        Assert.Equal(RunState.Running, (await _h.GetRunAsync(run.Id)).State);
    }

    [Fact]
    public async Task StepAsync_DeletedJobWithOnlyAQueuedRun_KillsItAtOnceWithoutTheBackend_ThenPurgesTheJobOnceItsEndWasKeptAWhile()
    {
        var (job, run) = await _h.SubmitAsync();
        await _h.UpdateJobAsync(job.Id, j => j.DeletedAt = _h.Time.GetUtcNow());

        await _h.StepAsync();

        var killed = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Killed, killed.State);
        Assert.Equal(RunReason.JobDeleted, killed.Reason);
        Assert.Null(killed.Node);
        Assert.Empty(_h.Backend.Starts);
        Assert.Empty(_h.Backend.Stops);

        // Kept, so that a client waiting for the job reads how it ended.
        await _h.StepAsync();
        Assert.NotNull(await _h.FindJobAsync(job.Id));

        _h.Time.Advance(Supervisor.EndedJobKept);
        await _h.StepAsync();

        Assert.Null(await _h.FindJobAsync(job.Id));
        Assert.Empty(await _h.AllRunsAsync());
        Assert.Empty(_h.Backend.Starts);
        Assert.Empty(_h.Backend.Stops);
    }

    [Fact]
    public async Task StepAsync_DeletedJob_LeavesTheOtherJobsOfTheToolAlone()
    {
        var (deleted, _) = await _h.RunningAsync("old");
        var (kept, keptRun) = await _h.RunningAsync("kept");
        await _h.UpdateJobAsync(deleted.Id, j => j.DeletedAt = _h.Time.GetUtcNow());

        await _h.StepAsync();

        Assert.DoesNotContain(_h.Backend.Stops, s => s.RunId == keptRun.Id);
        Assert.Equal(RunState.Running, (await _h.GetRunAsync(keptRun.Id)).State);
        Assert.NotNull(await _h.FindJobAsync(kept.Id));
    }

    [Fact]
    public async Task StepAsync_DisabledTool_StopsItsRunningRun_WhichIsRecordedKilledAsToolDeleted()
    {
        var (job, run) = await _h.RunningAsync(configure: j => j.GracePeriodSeconds = 5);
        await _h.UpdateToolAsync("mytool", t => t.DisabledAt = _h.Time.GetUtcNow());

        await _h.StepAsync();

        Assert.Equal([(run.Id, TimeSpan.FromSeconds(5))], _h.Backend.Stops);
        Assert.Equal(RunReason.ToolDeleted, (await _h.GetRunAsync(run.Id)).StopReason);

        await _h.ReportAsync(RecordingBackend.Exited(run.Id, exitCode: 0));

        var killed = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Killed, killed.State);
        Assert.Equal(RunReason.ToolDeleted, killed.Reason);
        Assert.Equal("tool-deleted", RunWire.Of(killed.Reason));

        // The tool is disabled, not erased: its job stays, and nothing starts again.
        await _h.StepAsync();
        Assert.NotNull(await _h.FindJobAsync(job.Id));
        Assert.Single(_h.Backend.Starts);
    }

    [Fact]
    public async Task StepAsync_DisabledTool_ItsQueuedRunIsKilledWithoutStarting()
    {
        var (_, run) = await _h.SubmitAsync(configure: j => j.Retry = 2);
        await _h.UpdateToolAsync("mytool", t => t.DisabledAt = _h.Time.GetUtcNow());

        await _h.StepAsync();
        await _h.StepAsync();

        var killed = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Killed, killed.State);
        Assert.Equal(RunReason.ToolDeleted, killed.Reason);
        Assert.Empty(_h.Backend.Starts);
        Assert.Single(await _h.AllRunsAsync());
    }

    [Fact]
    public async Task StepAsync_ThatChangesSomething_PublishesARunEvent()
    {
        await _h.SubmitAsync();
        var next = _h.Events.NextChange;

        await _h.StepAsync();

        Assert.True(next.IsCompleted);
    }

    [Fact]
    public async Task StepAsync_WithNothingToDo_ChangesNothing()
    {
        var (_, run) = await _h.RunningAsync();
        var before = await _h.GetRunAsync(run.Id);
        var next = _h.Events.NextChange;

        await _h.StepAsync();

        Assert.False(next.IsCompleted);
        Assert.Equal(before.Version, (await _h.GetRunAsync(run.Id)).Version);
        Assert.Single(_h.Backend.Starts);
    }

    [Fact]
    public async Task StepAsync_LaunchCarriesTheRunsCommandAndLimits_NotTheJobsLaterEdit()
    {
        var (job, run) = await _h.SubmitAsync(configure: j =>
        {
            j.MemoryBytes = MemorySize.GiB;
            j.CpuMillis = 1500;
        });
        await _h.UpdateJobAsync(job.Id, j => j.Command = "./changed.sh");

        await _h.StepAsync();

        var launch = Assert.Single(_h.Backend.Starts);
        Assert.Equal(run.Command, launch.Command);
        Assert.Equal(MemorySize.GiB, launch.MemoryBytes);
        Assert.Equal(1500, launch.CpuMillis);
        Assert.Equal("tools.mytool", launch.UnixUser);
        Assert.Equal("/srv/tools/mytool", launch.Home);
    }
}
