using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Core.Tests.Supervision;

/// <summary>The supervisor's rules for continuous jobs: replicas, backoff, replacement one at a time, health, ports.</summary>
public sealed class ContinuousJobTests
{
    private static readonly DateTimeOffset Now = Sample.Now;

    private static Job Continuous(int replicas = 1, RestartPolicy restart = RestartPolicy.Always)
    {
        var job = Sample.Job();
        job.Kind = JobKind.Continuous;
        job.Replicas = replicas;
        job.Restart = restart;
        return job;
    }

    private static IReadOnlyList<SupervisorAction> Decide(Job job, Run? latest, params Run[] active) =>
        Supervisor.Decide(new SupervisorSnapshot([new JobSummary(job, false, latest ?? active.LastOrDefault())], active, [Sample.Node()]), Now);

    [Fact]
    public void NewJob_QueuesOneRunPerReplica() =>
        Assert.Equal([new QueueRun(1, RunReason.Restarted), new QueueRun(1, RunReason.Restarted), new QueueRun(1, RunReason.Restarted)], Decide(Continuous(3), null));

    [Fact]
    public void AllReplicasUp_NeedsNothing() =>
        Assert.Empty(Decide(Continuous(2), null, Sample.Running(1), Sample.Running(2)));

    [Fact]
    public void DuringBackoff_NothingIsQueued()
    {
        var job = Continuous();
        job.RestartCount = 3;
        job.NextStartAt = Now.AddSeconds(20);

        Assert.Empty(Decide(job, Sample.Run(state: RunState.Failed, node: "node1")));
    }

    [Fact]
    public void BackoffOver_TheRunIsQueued()
    {
        var job = Continuous();
        job.RestartCount = 3;
        job.NextStartAt = Now.AddSeconds(-1);

        Assert.Equal([new QueueRun(1, RunReason.Restarted)], Decide(job, Sample.Run(state: RunState.Failed, node: "node1")));
    }

    [Fact]
    public void OnFailure_AfterExitZero_IsDone()
    {
        var succeeded = Sample.Run(state: RunState.Succeeded, node: "node1");

        Assert.Empty(Decide(Continuous(restart: RestartPolicy.OnFailure), succeeded));
    }

    [Fact]
    public void OnFailure_AfterAFailure_IsRestarted() =>
        Assert.Equal([new QueueRun(1, RunReason.Restarted)], Decide(Continuous(restart: RestartPolicy.OnFailure), Sample.Run(state: RunState.Failed, node: "node1")));

    [Fact]
    public void Always_AfterExitZero_IsRestarted() =>
        Assert.Equal([new QueueRun(1, RunReason.Restarted)], Decide(Continuous(), Sample.Run(state: RunState.Succeeded, node: "node1")));

    [Fact]
    public void UnhealthyRun_IsStoppedAndNotYetReplaced()
    {
        var sick = Sample.Running();
        sick.Healthy = false;

        var plan = Decide(Continuous(), null, sick);

        Assert.Equal([new StopRun(1, RunReason.Unhealthy, TimeSpan.FromSeconds(15))], plan);
    }

    [Fact]
    public void OneReplica_NewGeneration_StopsTheOldRunFirstAndStartsNothingAlongside()
    {
        var job = Continuous();
        job.Generation = 2;
        var old = Sample.Running();

        Assert.Equal([new StopRun(1, RunReason.Replaced, TimeSpan.FromSeconds(15))], Decide(job, null, old));

        old.StopRequestedAt = Now;
        old.StopReason = RunReason.Replaced;
        Assert.Empty(Decide(job, null, old));
    }

    [Fact]
    public void ThreeReplicas_NewGeneration_ReplacesOneAtATime()
    {
        var job = Continuous(3);
        job.Generation = 2;
        var runs = new[] { Sample.Running(1), Sample.Running(2), Sample.Running(3) };

        var plan = Decide(job, null, runs);
        Assert.Single(plan);
        Assert.Equal(new StopRun(1, RunReason.Replaced, TimeSpan.FromSeconds(15)), plan[0]);

        runs[0].StopRequestedAt = Now;
        runs[0].StopReason = RunReason.Replaced;
        Assert.Empty(Decide(job, null, runs));

        // The first old run ended and its successor (generation 2) runs: the next old one goes.
        var successor = Sample.Running(4);
        successor.Generation = 2;
        Assert.Equal([new StopRun(2, RunReason.Replaced, TimeSpan.FromSeconds(15))], Decide(job, null, successor, runs[1], runs[2]));
    }

    [Fact]
    public void FewerReplicas_StopsTheNewestSurplus() =>
        Assert.Equal(
            [new StopRun(3, RunReason.Replaced, TimeSpan.FromSeconds(15))],
            Decide(Continuous(2), null, Sample.Running(1), Sample.Running(2), Sample.Running(3)));

    [Fact]
    public void DeletedJob_DuringBackoff_NeverStartsAgain()
    {
        var job = Continuous();
        job.DeletedAt = Now;
        job.NextStartAt = Now.AddSeconds(-5);

        Assert.Equal([new PurgeJob(1)], Decide(job, Sample.Run(state: RunState.Failed, node: "node1")));
    }

    [Fact]
    public void Placement_GivesEachRunOfAPortJobItsOwnPort()
    {
        var job = Continuous(2);
        job.UsesPort = true;
        var queued = new[] { Sample.Run(1), Sample.Run(2) };

        var places = Supervisor.Decide(new SupervisorSnapshot([new JobSummary(job, false, null)], queued, [Sample.Node()]), Now).OfType<PlaceRun>().ToList();

        Assert.Equal(2, places.Count);
        Assert.All(places, p => Assert.InRange(p.Port!.Value, 20000, 29999));
        Assert.NotEqual(places[0].Port, places[1].Port);
    }

    [Fact]
    public void Placement_AFixedPortInUse_WaitsRatherThanSharingIt()
    {
        var job = Continuous();
        job.UsesPort = true;
        job.FixedPort = 8080;
        var holder = Sample.Running(1, jobId: 2);
        holder.Port = 8080;
        var queued = Sample.Run(2);

        var plan = Supervisor.Decide(new SupervisorSnapshot([new JobSummary(job, false, null)], [holder, queued], [Sample.Node()]), Now);

        Assert.DoesNotContain(plan, a => a is PlaceRun);
    }
}
