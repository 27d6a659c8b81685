using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Tests.Runs;

public sealed class RunTransitionsTests
{
    private static readonly DateTimeOffset Later = Sample.Now.AddMinutes(5);

    public static TheoryData<RunState> TerminalStates => [RunState.Succeeded, RunState.Failed, RunState.Killed, RunState.Lost];

    private static Run Starting()
    {
        var run = Sample.Run();
        Assert.True(RunTransitions.Place(run, "node1", Sample.Now));
        return run;
    }

    private static Run Ended(RunState state)
    {
        var run = Sample.Running();
        run.State = state;
        run.Reason = RunReason.Exited;
        run.Message = "as it was";
        run.ExitCode = 3;
        run.FinishedAt = Sample.Now;
        return run;
    }

    private static void AssertUnchanged(Run run)
    {
        Assert.Equal(RunReason.Exited, run.Reason);
        Assert.Equal("as it was", run.Message);
        Assert.Equal(3, run.ExitCode);
        Assert.Equal(Sample.Now, run.FinishedAt);
    }

    [Fact]
    public void Place_QueuedRun_StartsOnTheNode()
    {
        var run = Sample.Run();

        Assert.True(RunTransitions.Place(run, "node1", Sample.Now));

        Assert.Equal(RunState.Starting, run.State);
        Assert.Equal(RunReason.Placed, run.Reason);
        Assert.Equal("node1", run.Node);
        Assert.Null(run.StartedAt);
        Assert.Null(run.FinishedAt);
    }

    [Fact]
    public void Place_RecordsTheQueueItIsLaunchedIn_ItsOwnUnlessAnotherIsGiven()
    {
        var own = Sample.Run();
        own.Queue = "dedicated";
        var fellBack = Sample.Run(id: 2);
        fellBack.Queue = "dedicated";

        RunTransitions.Place(own, "node2", Sample.Now);
        RunTransitions.Place(fellBack, "node1", Sample.Now, queue: "default");

        Assert.Equal(("dedicated", "dedicated"), (own.Queue, own.LaunchQueue));
        Assert.Equal(("dedicated", "default"), (fellBack.Queue, fellBack.LaunchQueue));
    }

    [Theory]
    [InlineData(RunState.Starting)]
    [InlineData(RunState.Running)]
    [InlineData(RunState.Succeeded)]
    [InlineData(RunState.Failed)]
    [InlineData(RunState.Killed)]
    [InlineData(RunState.Lost)]
    public void Place_RunNotQueued_IsNotPlacedAgain(RunState state)
    {
        var run = Sample.Run(state: state, node: "node1");

        Assert.False(RunTransitions.Place(run, "node2", Sample.Now));

        Assert.Equal(state, run.State);
        Assert.Equal("node1", run.Node);
    }

    [Fact]
    public void Observe_RunningReportForAStartingRun_MakesItRunning()
    {
        var run = Starting();
        var startedAt = Sample.Now.AddSeconds(2);

        Assert.True(RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Running, Pid: 4242, StartedAt: startedAt), Later));

        Assert.Equal(RunState.Running, run.State);
        Assert.Equal(RunReason.Started, run.Reason);
        Assert.Equal(4242, run.Pid);
        Assert.Equal(startedAt, run.StartedAt);
        Assert.Null(run.FinishedAt);
    }

    [Fact]
    public void Observe_RunningReportWithoutAStartTime_StartsTheRunNow()
    {
        var run = Starting();

        RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Running), Later);

        Assert.Equal(Later, run.StartedAt);
    }

    [Fact]
    public void Observe_WhereARunListensOutside_IsRecorded_ClearedByAnEmptyReport_AndKeptWhenNotReported()
    {
        var run = Sample.Running();
        RunReport(run, "0.0.0.0:8123");
        var exposed = run.ListensOutside;
        var unchanged = RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Running), Later);
        var kept = run.ListensOutside;
        RunReport(run, "");

        Assert.Equal("0.0.0.0:8123", exposed);
        Assert.False(unchanged);
        Assert.Equal("0.0.0.0:8123", kept);
        Assert.Null(run.ListensOutside);

        static void RunReport(Run run, string listensOutside) =>
            Assert.True(RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Running, ListensOutside: listensOutside), Later));
    }

    [Fact]
    public void Observe_RepeatedRunningReport_ChangesNothing()
    {
        var run = Starting();
        var report = new BackendRunReport(run.Id, "node1", BackendRunPhase.Running, Pid: 4242, StartedAt: Sample.Now);
        RunTransitions.Observe(run, report, Later);

        Assert.False(RunTransitions.Observe(run, report, Later.AddMinutes(1)));

        Assert.Equal(RunState.Running, run.State);
        Assert.Equal(Sample.Now, run.StartedAt);
    }

    [Fact]
    public void Observe_ReportForAQueuedRun_IsIgnored()
    {
        var run = Sample.Run();

        Assert.False(RunTransitions.Observe(run, Sample.Exited(exitCode: 0), Later));
        Assert.False(RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Running, Pid: 1), Later));

        Assert.Equal(RunState.Queued, run.State);
        Assert.Null(run.Node);
        Assert.Null(run.Pid);
        Assert.Null(run.ExitCode);
    }

    [Theory]
    [MemberData(nameof(TerminalStates))]
    public void Observe_RunThatHasEnded_NeverChanges(RunState state)
    {
        var run = Ended(state);

        Assert.False(RunTransitions.Observe(run, Sample.Exited(exitCode: 0), Later));
        Assert.False(RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Lost), Later));
        Assert.False(RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Running), Later));

        Assert.Equal(state, run.State);
        AssertUnchanged(run);
    }

    [Fact]
    public void Observe_ExitCodeZero_Succeeds()
    {
        var run = Sample.Running();

        Assert.True(RunTransitions.Observe(run, Sample.Exited(exitCode: 0), Later));

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(RunReason.Exited, run.Reason);
        Assert.Equal("exit code 0", run.Message);
        Assert.Equal(0, run.ExitCode);
        Assert.Null(run.Signal);
        Assert.Equal(Sample.Now.AddMinutes(1), run.FinishedAt);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(255)]
    public void Observe_NonZeroExitCode_Fails(int code)
    {
        var run = Sample.Running();

        Assert.True(RunTransitions.Observe(run, Sample.Exited(exitCode: code), Later));

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunReason.Exited, run.Reason);
        Assert.Equal($"exit code {code}", run.Message);
        Assert.Equal(code, run.ExitCode);
    }

    [Fact]
    public void Observe_ExitWithoutAFinishTime_EndsTheRunNow()
    {
        var run = Sample.Running();

        RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Exited, ExitCode: 0), Later);

        Assert.Equal(Later, run.FinishedAt);
    }

    [Fact]
    public void Observe_ExitOfAStartingRun_EndsItAndRecordsWhenItStarted()
    {
        // The "running" report was missed; the exit report still says when the command started.
        var run = Starting();
        var startedAt = Sample.Now.AddSeconds(1);

        RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Exited, StartedAt: startedAt, FinishedAt: Later, ExitCode: 0), Later);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(startedAt, run.StartedAt);
        Assert.Equal(Later, run.FinishedAt);
    }

    [Theory]
    [InlineData(9, "killed by signal 9 (SIGKILL)")]
    [InlineData(11, "killed by signal 11 (SIGSEGV)")]
    [InlineData(15, "killed by signal 15 (SIGTERM)")]
    [InlineData(64, "killed by signal 64 (signal 64)")]
    public void Observe_SignalThePlatformDidNotSend_FailsAsSignaled(int signal, string message)
    {
        var run = Sample.Running();

        Assert.True(RunTransitions.Observe(run, Sample.Exited(exitCode: null, signal: signal), Later));

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunReason.Signaled, run.Reason);
        Assert.Equal(signal, run.Signal);
        Assert.Equal(message, run.Message);
    }

    [Fact]
    public void Observe_OutOfMemory_FailsAndNamesTheLimit()
    {
        var run = Sample.Running();
        run.MemoryBytes = 512 * MemorySize.MiB;

        RunTransitions.Observe(run, Sample.Exited(exitCode: null, signal: 9) with { OutOfMemory = true }, Later);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunReason.OutOfMemory, run.Reason);
        Assert.Equal("went over its memory limit of 512Mi and was killed", run.Message);
        Assert.Equal(9, run.Signal);
    }

    [Fact]
    public void Observe_OutOfMemoryWhileBeingStopped_IsStillOutOfMemory()
    {
        var run = Sample.Running();
        RunTransitions.RequestStop(run, RunReason.Stopped, Sample.Now);

        RunTransitions.Observe(run, Sample.Exited(exitCode: null, signal: 9) with { OutOfMemory = true }, Later);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunReason.OutOfMemory, run.Reason);
    }

    [Theory]
    [InlineData(null, "ran past its timeout and was stopped")]
    [InlineData("ran past 1h", "ran past 1h")]
    public void Observe_TimedOut_FailsAsTimedOut(string? message, string expected)
    {
        var run = Sample.Running();

        RunTransitions.Observe(run, Sample.Exited(exitCode: null, signal: 15) with { TimedOut = true, Message = message }, Later);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunReason.TimedOut, run.Reason);
        Assert.Equal(expected, run.Message);
    }

    [Theory]
    [InlineData(null, "the run could not be started")]
    [InlineData("no such directory: /srv/tools/mytool", "no such directory: /srv/tools/mytool")]
    public void Observe_StartFailed_FailsWithTheBackendsWords(string? message, string expected)
    {
        var run = Starting();

        RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Exited, ExitCode: 127, StartFailed: true, Message: message), Later);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunReason.StartFailed, run.Reason);
        Assert.Equal(expected, run.Message);
        Assert.Equal(Later, run.FinishedAt);
    }

    [Theory]
    [InlineData(RunReason.Stopped)]
    [InlineData(RunReason.JobDeleted)]
    [InlineData(RunReason.ToolDeleted)]
    public void Observe_ExitAfterAStopWasRequested_IsKilledWithTheStopReason(RunReason reason)
    {
        var run = Sample.Running();
        RunTransitions.RequestStop(run, reason, Sample.Now);

        Assert.True(RunTransitions.Observe(run, Sample.Exited(exitCode: null, signal: 15), Later));

        Assert.Equal(RunState.Killed, run.State);
        Assert.Equal(reason, run.Reason);
        Assert.Equal("killed by signal 15 (SIGTERM)", run.Message);
    }

    [Fact]
    public void Observe_CleanExitAfterAStopWasRequested_IsStillKilled()
    {
        var run = Sample.Running();
        RunTransitions.RequestStop(run, RunReason.Stopped, Sample.Now);

        RunTransitions.Observe(run, Sample.Exited(exitCode: 0), Later);

        Assert.Equal(RunState.Killed, run.State);
        Assert.Equal(RunReason.Stopped, run.Reason);
        Assert.Equal("exit code 0", run.Message);
    }

    [Fact]
    public void Observe_RepeatedExitReport_IsRecordedOnce()
    {
        var run = Sample.Running();
        RunTransitions.Observe(run, Sample.Exited(exitCode: 3), Later);

        Assert.False(RunTransitions.Observe(run, Sample.Exited(exitCode: 0) with { FinishedAt = Later.AddHours(1) }, Later.AddHours(1)));

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(3, run.ExitCode);
        Assert.Equal(Sample.Now.AddMinutes(1), run.FinishedAt);
    }

    [Theory]
    [InlineData(RunState.Starting)]
    [InlineData(RunState.Running)]
    public void Observe_Lost_MarksTheRunLostWithoutAnOutcome(RunState state)
    {
        var run = Sample.Run(state: state, node: "node1");

        Assert.True(RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Lost), Later));

        Assert.Equal(RunState.Lost, run.State);
        Assert.Equal(RunReason.ShepherdLost, run.Reason);
        Assert.Equal("the run's shepherd is gone; how the run ended is unknown", run.Message);
        Assert.Null(run.ExitCode);
        Assert.Equal(Later, run.FinishedAt);
    }

    [Fact]
    public void Observe_LostWithTheBackendsWords_KeepsThem()
    {
        var run = Sample.Running();

        RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Lost, FinishedAt: Sample.Now.AddMinutes(2), Message: "host rebooted"), Later);

        Assert.Equal("host rebooted", run.Message);
        Assert.Equal(Sample.Now.AddMinutes(2), run.FinishedAt);
    }

    [Fact]
    public void Observe_LostWithItsNode_IsNodeLostInTheBackendsWords()
    {
        var run = Sample.Running();

        RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Lost, Message: "its node node1 stopped answering", NodeLost: true), Later);

        Assert.Equal((RunState.Lost, RunReason.NodeLost, "its node node1 stopped answering"), (run.State, run.Reason, run.Message));
    }

    [Fact]
    public void Observe_RemovedOutsideToolgrid_IsKilledRemovedOutsideInTheBackendsWords()
    {
        var run = Sample.Running();

        RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Exited, Signal: 15, RemovedOutside: true, Message: "removed outside Toolgrid: job 7 was deleted with qdel"), Later);

        Assert.Equal((RunState.Killed, RunReason.RemovedOutside, "removed outside Toolgrid: job 7 was deleted with qdel"), (run.State, run.Reason, run.Message));
        Assert.Equal("removed-outside", RunWire.Of(run.Reason));
    }

    [Fact]
    public void Observe_UnknownPhase_Throws()
    {
        var run = Sample.Running();

        Assert.Throws<ArgumentOutOfRangeException>(() => RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", (BackendRunPhase)42), Later));
    }

    [Fact]
    public void RequestStop_QueuedRun_IsKilledAtOnce()
    {
        var run = Sample.Run();

        Assert.True(RunTransitions.RequestStop(run, RunReason.Stopped, Later));

        Assert.Equal(RunState.Killed, run.State);
        Assert.Equal(RunReason.Stopped, run.Reason);
        Assert.Equal("stopped before it started", run.Message);
        Assert.Equal(Later, run.FinishedAt);
        Assert.Null(run.StartedAt);
    }

    [Theory]
    [InlineData(RunState.Starting)]
    [InlineData(RunState.Running)]
    public void RequestStop_StartingOrRunning_KeepsItsStateUntilTheExit(RunState state)
    {
        var run = Sample.Run(state: state, node: "node1");

        Assert.True(RunTransitions.RequestStop(run, RunReason.JobDeleted, Later));

        Assert.Equal(state, run.State);
        Assert.Equal(Later, run.StopRequestedAt);
        Assert.Equal(RunReason.JobDeleted, run.StopReason);
        Assert.Null(run.FinishedAt);
    }

    [Fact]
    public void RequestStop_RepeatedAtOnce_IsANoOp()
    {
        var run = Sample.Running();
        RunTransitions.RequestStop(run, RunReason.Stopped, Sample.Now);

        Assert.False(RunTransitions.RequestStop(run, RunReason.Stopped, Sample.Now));

        Assert.Equal(RunState.Running, run.State);
        Assert.Equal(Sample.Now, run.StopRequestedAt);
    }

    [Fact]
    public void RequestStop_WithAnotherReason_TakesTheNewReason()
    {
        var run = Sample.Running();
        RunTransitions.RequestStop(run, RunReason.Stopped, Sample.Now);

        Assert.True(RunTransitions.RequestStop(run, RunReason.ToolDeleted, Later));
        RunTransitions.Observe(run, Sample.Exited(exitCode: null, signal: 15), Later);

        Assert.Equal(RunState.Killed, run.State);
        Assert.Equal(RunReason.ToolDeleted, run.Reason);
    }

    [Theory]
    [MemberData(nameof(TerminalStates))]
    public void RequestStop_RunThatHasEnded_NeverChanges(RunState state)
    {
        var run = Ended(state);

        Assert.False(RunTransitions.RequestStop(run, RunReason.Stopped, Later));

        Assert.Equal(state, run.State);
        Assert.Null(run.StopRequestedAt);
        AssertUnchanged(run);
    }

    [Fact]
    public void FailStart_StartingRun_FailsWithTheMessage()
    {
        var run = Starting();

        Assert.True(RunTransitions.FailStart(run, "backend refused: no such user tools.mytool", Later));

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunReason.StartFailed, run.Reason);
        Assert.Equal("backend refused: no such user tools.mytool", run.Message);
        Assert.Equal(Later, run.FinishedAt);
    }

    [Fact]
    public void DeferStart_StartingRun_StaysStartingWithWhyAndOnlyChangesWhenWhyChanges()
    {
        var run = Starting();

        Assert.True(RunTransitions.DeferStart(run, "port 8000 on node node1 is taken by process 42 (nginx); trying again at 12:05:02 UTC", Later));
        Assert.False(RunTransitions.DeferStart(run, "port 8000 on node node1 is taken by process 42 (nginx); trying again at 12:05:02 UTC", Later));

        Assert.Equal((RunState.Starting, RunReason.StartDeferred), (run.State, run.Reason));
        Assert.Equal("port 8000 on node node1 is taken by process 42 (nginx); trying again at 12:05:02 UTC", run.Message);
        Assert.Null(run.FinishedAt);
        Assert.True(RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Running, Pid: 7, StartedAt: Later), Later));
        Assert.Equal((RunState.Running, RunReason.Started), (run.State, run.Reason));
    }

    [Theory]
    [InlineData(RunState.Queued)]
    [InlineData(RunState.Running)]
    [InlineData(RunState.Succeeded)]
    [InlineData(RunState.Failed)]
    [InlineData(RunState.Killed)]
    [InlineData(RunState.Lost)]
    public void FailStart_and_DeferStart_RunNotStarting_AreRefused(RunState state)
    {
        var run = Sample.Run(state: state, node: "node1");

        Assert.False(RunTransitions.FailStart(run, "too late", Later));
        Assert.False(RunTransitions.DeferStart(run, "the disk of node node1 is full", Later));

        Assert.Equal(state, run.State);
        Assert.Null(run.Message);
    }

    [Theory]
    [InlineData(RunState.Starting, RunReason.Vanished)]
    [InlineData(RunState.Running, RunReason.NodeLost)]
    public void MarkLost_StartingOrRunning_IsLostForTheReasonGiven(RunState state, RunReason reason)
    {
        var run = Sample.Run(state: state, node: "node1");

        Assert.True(RunTransitions.MarkLost(run, reason, "node node1 no longer knows this run", Later));

        Assert.Equal(RunState.Lost, run.State);
        Assert.Equal(reason, run.Reason);
        Assert.Equal("node node1 no longer knows this run", run.Message);
        Assert.Equal(Later, run.FinishedAt);
    }

    [Fact]
    public void MarkLost_QueuedRun_IsRefused()
    {
        var run = Sample.Run();

        Assert.False(RunTransitions.MarkLost(run, RunReason.NodeLost, "gone", Later));

        Assert.Equal(RunState.Queued, run.State);
    }

    [Theory]
    [MemberData(nameof(TerminalStates))]
    public void MarkLost_RunThatHasEnded_NeverChanges(RunState state)
    {
        var run = Ended(state);

        Assert.False(RunTransitions.MarkLost(run, RunReason.NodeLost, "gone", Later));

        Assert.Equal(state, run.State);
        AssertUnchanged(run);
    }

    [Fact]
    public void RequestStop_QueuedRunHeldForItsDueTime_ForAnOverlap_IsSkipped()
    {
        var run = Sample.Run(state: RunState.Queued);
        run.DueAt = run.NotBefore = Later;

        Assert.True(RunTransitions.RequestStop(run, RunReason.Overlap, Sample.Now));
        Assert.Equal((RunState.Skipped, RunReason.Overlap), (run.State, run.Reason));
        Assert.Contains("started by hand", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_HeldRunStoppedForAnOverlapBeforeItStarted_IsSkipped_ButOneThatStartedIsKilled()
    {
        var held = Sample.Run(state: RunState.Starting, node: "node1");
        held.NotBefore = held.DueAt = Later;
        RunTransitions.RequestStop(held, RunReason.Overlap, Sample.Now);
        var started = Sample.Run(2, state: RunState.Running, node: "node1");
        RunTransitions.RequestStop(started, RunReason.Overlap, Sample.Now);

        RunTransitions.Observe(held, new BackendRunReport(held.Id, "node1", BackendRunPhase.Exited, Signal: 15, Message: "stopped before it started"), Later);
        RunTransitions.Observe(started, new BackendRunReport(started.Id, "node1", BackendRunPhase.Exited, Signal: 15, StartedAt: Sample.Now), Later);

        Assert.Equal((RunState.Skipped, RunReason.Overlap), (held.State, held.Reason));
        Assert.Equal((RunState.Killed, RunReason.Overlap), (started.State, started.Reason));
    }

    [Fact]
    public void Observe_Waiting_ChangesNothing()
    {
        var run = Sample.Run(state: RunState.Starting, node: "node1");

        Assert.False(RunTransitions.Observe(run, new BackendRunReport(run.Id, "node1", BackendRunPhase.Waiting, Pid: 77), Later));
        Assert.Equal((RunState.Starting, (int?)null), (run.State, run.Pid));
    }
}

