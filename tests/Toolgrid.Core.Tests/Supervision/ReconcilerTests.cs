using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Core.Tests.Supervision;

public sealed class ReconcilerTests
{
    private static BackendRunReport Running(long runId) => new(runId, "node1", BackendRunPhase.Running, Pid: 100 + (int)runId);

    private static Run Starting(long id) => Sample.Run(id, jobId: id, state: RunState.Starting, node: "node1");

    [Fact]
    public void Decide_StoreAndBackendAgree_NeedsNothing() =>
        Assert.Empty(Reconciler.Decide([Sample.Running(1), Sample.Running(2, jobId: 2)], [Running(1), Running(2)]));

    [Fact]
    public void Decide_NothingAnywhere_NeedsNothing() => Assert.Empty(Reconciler.Decide([], []));

    [Fact]
    public void Decide_StartingRunWhoseStartIsUnderWay_IsLeftAlone() =>
        Assert.Empty(Reconciler.Decide([Starting(1)], [], new HashSet<long> { 1 }));

    [Fact]
    public void Decide_StartingRunWhoseStartIsUnderWayButAlreadyListed_IsObserved()
    {
        var report = Running(1);

        Assert.Equal([new ObserveRun(report)], Reconciler.Decide([Starting(1)], [report], new HashSet<long> { 1 }));
    }

    [Fact]
    public void Decide_StartingRunTheBackendRuns_ObservesTheMissedRunningReport()
    {
        var report = Running(1);

        Assert.Equal([new ObserveRun(report)], Reconciler.Decide([Starting(1)], [report]));
    }

    [Theory]
    [InlineData(RunState.Starting)]
    [InlineData(RunState.Running)]
    public void Decide_ActiveRunTheBackendSawEnd_ObservesTheMissedExit(RunState state)
    {
        var report = Sample.Exited(1, exitCode: 3);

        Assert.Equal([new ObserveRun(report)], Reconciler.Decide([Sample.Run(1, state: state, node: "node1")], [report]));
    }

    [Fact]
    public void Decide_ActiveRunTheBackendLost_ObservesTheLoss()
    {
        var report = new BackendRunReport(1, "node1", BackendRunPhase.Lost);

        Assert.Equal([new ObserveRun(report)], Reconciler.Decide([Sample.Running(1)], [report]));
    }

    [Fact]
    public void Decide_StartingRunTheBackendNeverHeardOf_ResumesTheStart() =>
        Assert.Equal([new ResumeStart(1)], Reconciler.Decide([Starting(1)], []));

    [Fact]
    public void Decide_RunningRunTheBackendNoLongerKnows_IsMarkedVanishedNamingTheNode()
    {
        var plan = Reconciler.Decide([Sample.Running(1, node: "node7")], []);

        var lost = Assert.IsType<MarkRunLost>(Assert.Single(plan));
        Assert.Equal(1, lost.RunId);
        Assert.Equal(RunReason.Vanished, lost.Reason);
        Assert.Equal("node node7 no longer knows this run; how it ended is unknown", lost.Message);
    }

    [Fact]
    public void Decide_StartingRunTheBackendHoldsUntilItsDueTime_IsLeftAlone() =>
        Assert.Empty(Reconciler.Decide([Starting(1)], [new BackendRunReport(1, "node1", BackendRunPhase.Waiting)]));

    [Fact]
    public void Decide_StartingRunAnEngineHoldsPendingWithNoNode_IsNotStartedAgain() =>
        Assert.Empty(Reconciler.Decide([Starting(1)], [new BackendRunReport(1, null, BackendRunPhase.Waiting)]));

    [Fact]
    public void Decide_RunTheBackendHoldsButTheStoreHasEnded_StopsTheOrphan() =>
        Assert.Equal([new StopOrphan(9)], Reconciler.Decide([], [new BackendRunReport(9, "node1", BackendRunPhase.Waiting)]));

    [Fact]
    public void Decide_QueuedRun_IsLeftToTheSupervisor() =>
        Assert.Empty(Reconciler.Decide([Sample.Run(1)], []));

    [Fact]
    public void Decide_BackendRunsARunTheStoreHasEnded_StopsTheOrphan() =>
        Assert.Equal([new StopOrphan(9)], Reconciler.Decide([], [Running(9)]));

    [Theory]
    [InlineData(BackendRunPhase.Exited)]
    [InlineData(BackendRunPhase.Lost)]
    public void Decide_BackendKeepsAnEndTheStoreHasRecorded_ForgetsIt(BackendRunPhase phase) =>
        Assert.Equal([new ForgetRun(9)], Reconciler.Decide([], [new BackendRunReport(9, "node1", phase, ExitCode: 0)]));

    [Fact]
    public void Decide_EveryCaseAtOnce_TakesOneStepForEach()
    {
        var exit = Sample.Exited(3, exitCode: 0);
        var startingSeen = Running(5);

        var plan = Reconciler.Decide(
            [Sample.Running(1), Starting(2), Sample.Running(3, jobId: 3), Sample.Running(4, jobId: 4), Starting(5), Sample.Run(6, jobId: 6)],
            [Running(1), exit, startingSeen, Running(7), Sample.Exited(8)]);

        Assert.Equal(
            [
                new ResumeStart(2),
                new ObserveRun(exit),
                new MarkRunLost(4, RunReason.Vanished, "node node1 no longer knows this run; how it ended is unknown"),
                new ObserveRun(startingSeen),
                new StopOrphan(7),
                new ForgetRun(8),
            ],
            plan);
    }
}
