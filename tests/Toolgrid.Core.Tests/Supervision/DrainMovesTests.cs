using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Core.Tests.Supervision;

/// <summary>
/// Draining a node: the engine's drain follows the admin's, continuous jobs move off one at a time
/// per node (new run first, old one stopped once the new one runs or is healthy), other runs stay,
/// and a job that no other node can take stays where it is.
/// </summary>
public sealed class DrainMovesTests
{
    private static readonly DateTimeOffset Now = Sample.Now;

    private static readonly NodeCapacity Node1Drained = Sample.Node("node1", up: false) with { Drained = true };

    private static readonly NodeCapacity Node2 = Sample.Node("node2");

    private static readonly NodeDrain Drain1 = new("node1", "kernel upgrade", EngineDrained: true);

    private static Job Continuous(long id = 1, int replicas = 1, string name = "bot")
    {
        var job = Sample.Job(id, name: name);
        job.Kind = JobKind.Continuous;
        job.Replicas = replicas;
        return job;
    }

    private static Run On(string node, long id, long jobId = 1, RunState state = RunState.Running)
    {
        var run = Sample.Run(id, jobId, state: state, node: node);
        run.Reason = state == RunState.Running ? RunReason.Started : run.Reason;
        return run;
    }

    private static SupervisorSnapshot Snapshot(IEnumerable<Job> jobs, IEnumerable<Run> runs, IReadOnlyList<NodeCapacity>? nodes = null, params NodeDrain[] drains) =>
        new(jobs.Select(j => new JobSummary(j, false, null)).ToList(), runs.ToList(), nodes ?? [Node1Drained, Node2])
        {
            Drains = drains.Length == 0 ? [Drain1] : drains,
        };

    private static IReadOnlyList<SupervisorAction> Decide(SupervisorSnapshot snapshot) => Supervisor.Decide(snapshot, Now);

    [Fact]
    public void AdminDrain_NotInTheBackendYet_IsAppliedThere_AndNothingMovesUntilItIs()
    {
        var snapshot = Snapshot([Continuous()], [On("node1", 1)], [Sample.Node("node1"), Node2], new NodeDrain("node1", "kernel upgrade", EngineDrained: false));

        var plan = Decide(snapshot);

        Assert.Equal([new DrainNode("node1", "kernel upgrade")], plan);
        Assert.Equal("waits for the backend to drain the node", Assert.Single(DrainMoves.Decide(snapshot).Waits).Why);
    }

    [Fact]
    public void LiftedDrain_TheControllerMade_IsUndoneInTheBackend() =>
        Assert.Equal([new ResumeNode("node1")], Decide(Snapshot([], [], [Node1Drained, Node2], new NodeDrain("node1", null, EngineDrained: true))));

    [Fact]
    public void DrainMadeInTheEngineByHand_IsLeftAlone() =>
        Assert.Empty(Decide(new SupervisorSnapshot([], [], [Node1Drained, Node2])));

    [Fact]
    public void ContinuousRunOnDrainedNode_ANewRunIsQueuedFirst_TheOldOneKeepsRunning()
    {
        var plan = Decide(Snapshot([Continuous()], [On("node1", 1)]));

        Assert.Equal([new QueueRun(1, RunReason.Moved)], plan);
    }

    [Fact]
    public void NewRunQueued_TheExtraReplicaIsAllowed_AndTheOldOneWaits()
    {
        var plan = Decide(Snapshot([Continuous()], [On("node1", 1), On("node2", 2, state: RunState.Starting)]));

        Assert.Empty(plan);
    }

    [Fact]
    public void NewRunRuns_TheOldOneIsStopped()
    {
        var plan = Decide(Snapshot([Continuous()], [On("node1", 1), On("node2", 2)]));

        Assert.Equal([new StopRun(1, RunReason.NodeDrained, TimeSpan.FromSeconds(15))], plan);
    }

    [Fact]
    public void WebserviceWithHealthCheck_OldRunStopsOnlyOnceTheNewOneIsHealthy()
    {
        var job = Continuous();
        job.HealthCheckHttpPath = "/healthz";
        var fresh = On("node2", 2);

        Assert.Empty(Decide(Snapshot([job], [On("node1", 1), fresh])));

        fresh.Healthy = false;
        Assert.DoesNotContain(Decide(Snapshot([job], [On("node1", 1), fresh])), a => a is StopRun { RunId: 1 });

        fresh.Healthy = true;
        Assert.Equal([new StopRun(1, RunReason.NodeDrained, TimeSpan.FromSeconds(15))], Decide(Snapshot([job], [On("node1", 1), fresh])));
    }

    [Fact]
    public void OneMovePerNode_TheOtherJobWaitsItsTurn()
    {
        var snapshot = Snapshot([Continuous(1), Continuous(2, name: "other")], [On("node1", 1, jobId: 1), On("node1", 2, jobId: 2)]);

        Assert.Equal([new QueueRun(1, RunReason.Moved)], Decide(snapshot));
        var waits = DrainMoves.Decide(snapshot).Waits;
        Assert.Contains(waits, w => w.RunId == 2 && w.Why.Contains("waits its turn", StringComparison.Ordinal));
    }

    [Fact]
    public void OldRunStillStopping_TheNextJobStillWaits()
    {
        var stopping = On("node1", 1, jobId: 1);
        stopping.StopRequestedAt = Now;
        stopping.StopReason = RunReason.NodeDrained;
        var snapshot = Snapshot([Continuous(1), Continuous(2, name: "other")], [stopping, On("node2", 3, jobId: 1), On("node1", 2, jobId: 2)]);

        Assert.DoesNotContain(Decide(snapshot), a => a is QueueRun);
    }

    [Fact]
    public void OldRunEnded_TheNextJobMoves()
    {
        var snapshot = Snapshot([Continuous(1), Continuous(2, name: "other")], [On("node2", 3, jobId: 1), On("node1", 2, jobId: 2)]);

        Assert.Equal([new QueueRun(2, RunReason.Moved)], Decide(snapshot));
    }

    [Fact]
    public void TwoReplicasOnTheDrainedNode_MoveOneAtATime_NeverMoreThanOneExtra()
    {
        var job = Continuous(replicas: 2);

        // Both on node1: one new run, not two.
        Assert.Equal([new QueueRun(1, RunReason.Moved)], Decide(Snapshot([job], [On("node1", 1), On("node1", 2)])));

        // Three active (two plus the new one): nothing more is queued while the new one starts.
        Assert.DoesNotContain(Decide(Snapshot([job], [On("node1", 1), On("node1", 2), On("node2", 3, state: RunState.Queued)])), a => a is QueueRun or StopRun);
    }

    [Fact]
    public void NoOtherNodeCanTakeIt_TheJobStays_AndTheWaitSaysSo()
    {
        var snapshot = Snapshot([Continuous()], [On("node1", 1)], [Node1Drained]);

        Assert.Empty(Decide(snapshot));
        Assert.Contains("no other node", Assert.Single(DrainMoves.Decide(snapshot).Waits).Why, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherNodeTooSmall_TheJobStays()
    {
        var snapshot = Snapshot([Continuous()], [On("node1", 1)], [Node1Drained, Sample.Node("node2", memory: 256 * 1024 * 1024)]);

        Assert.Empty(Decide(snapshot));
    }

    [Fact]
    public void OneOffRun_FinishesWhereItIs()
    {
        var oneOff = Sample.Job(1);
        var snapshot = Snapshot([oneOff], [On("node1", 1)]);

        Assert.Empty(Decide(snapshot));
        Assert.Contains("finishes here", Assert.Single(DrainMoves.Decide(snapshot).Waits).Why, StringComparison.Ordinal);
    }

    [Fact]
    public void DrainLiftedMidMove_TheNewestRunIsStopped_BackToTheReplicas()
    {
        var plan = Decide(new SupervisorSnapshot([new JobSummary(Continuous(), false, null)], [On("node1", 1), On("node2", 2, state: RunState.Starting)], [Sample.Node("node1"), Node2]));

        Assert.Equal([new StopRun(2, RunReason.Replaced, TimeSpan.FromSeconds(15))], plan);
    }

    [Fact]
    public void DrainedNode_TakesNoNewRun_EvenBeforeTheBackendHasTheDrain()
    {
        var snapshot = Snapshot([Sample.Job(1)], [Sample.Run(5)], [Sample.Node("node1"), Node2], new NodeDrain("node1", "disk", EngineDrained: false));

        Assert.Contains(new PlaceRun(5, "node2"), Decide(snapshot));
        Assert.DoesNotContain(Decide(snapshot), a => a is PlaceRun { Node: "node1" });
    }
}
