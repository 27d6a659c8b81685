using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Core.Tests.Supervision;

public sealed class SupervisorTests
{
    private static readonly DateTimeOffset Now = Sample.Now;

    /// <summary>A snapshot where every run has a live job of its own (job id = run's job id) unless given.</summary>
    private static SupervisorSnapshot Snapshot(IEnumerable<Run> activeRuns, IEnumerable<NodeCapacity> nodes, params JobSummary[] jobs)
    {
        var runs = activeRuns.ToList();
        var summaries = jobs.ToList();
        foreach (var jobId in runs.Select(r => r.JobId).Distinct().Where(id => summaries.All(s => s.Job.Id != id)))
        {
            var run = runs.First(r => r.JobId == jobId);
            summaries.Add(new JobSummary(Sample.Job(jobId, run.ToolName), false, runs.Where(r => r.JobId == jobId).MaxBy(r => r.Id)));
        }

        return new SupervisorSnapshot(summaries, runs, nodes.ToList());
    }

    private static Run Queued(long id, string tool = "mytool", long memory = 512 * MemorySize.MiB, int cpu = 500, string queue = Queues.Default) =>
        Sample.Run(id, jobId: id, tool: tool, memory: memory, cpu: cpu, queue: queue);

    private static List<PlaceRun> Placements(IReadOnlyList<SupervisorAction> plan) => plan.OfType<PlaceRun>().ToList();

    private static Job DeletedJob(long id = 1, int graceSeconds = 15)
    {
        var job = Sample.Job(id);
        job.DeletedAt = Now.AddMinutes(-1);
        job.GracePeriodSeconds = graceSeconds;
        return job;
    }

    [Fact]
    public void Decide_NothingToDo_IsAnEmptyPlan() =>
        Assert.Empty(Supervisor.Decide(new SupervisorSnapshot([], [], [Sample.Node()]), Now));

    [Fact]
    public void Decide_QueuedRun_IsPlacedOnAnUpNode() =>
        Assert.Equal(
            [new PlaceRun(1, "node1")],
            Supervisor.Decide(Snapshot([Queued(1)], [Sample.Node()]), Now));

    [Fact]
    public void Decide_EngineThatPlaces_GetsEveryWantedQueuedRunWithNoNode_WhateverTheNodesHold()
    {
        var wanted = Queued(1, memory: 16 * MemorySize.GiB);
        var other = Queued(2, queue: "dedicated");
        var deleted = Queued(3);
        var snapshot = Snapshot([wanted, other, deleted], [Sample.Node(memory: MemorySize.GiB, slots: 1, queues: ["default", "dedicated"])], new JobSummary(DeletedJob(3), false, deleted)) with { EnginePlaces = true };

        var plan = Supervisor.Decide(snapshot, Now);

        Assert.Equal([new PlaceRun(1, null), new PlaceRun(2, null)], Placements(plan));
    }

    [Fact]
    public void Decide_NoNodes_PlacesNothing() =>
        Assert.Empty(Supervisor.Decide(Snapshot([Queued(1)], []), Now));

    [Fact]
    public void Decide_OnlyDownNodes_PlacesNothing() =>
        Assert.Empty(Supervisor.Decide(Snapshot([Queued(1)], [Sample.Node("node1", up: false), Sample.Node("node2", up: false)]), Now));

    [Fact]
    public void Decide_DownNode_GetsNothingEvenWithTheMostRoom()
    {
        var plan = Supervisor.Decide(
            Snapshot([Queued(1), Queued(2)], [Sample.Node("big", memory: 64 * MemorySize.GiB, up: false), Sample.Node("small", memory: 2 * MemorySize.GiB)]),
            Now);

        Assert.All(Placements(plan), p => Assert.Equal("small", p.Node));
        Assert.Equal(2, plan.Count);
    }

    [Fact]
    public void Decide_NodeSlots_AreNotExceeded()
    {
        var plan = Supervisor.Decide(Snapshot([Queued(1), Queued(2), Queued(3)], [Sample.Node(slots: 2)]), Now);

        Assert.Equal([1L, 2L], Placements(plan).Select(p => p.RunId));
    }

    [Fact]
    public void Decide_RunsAlreadyOnANode_TakeItsSlots()
    {
        var running = Sample.Running(id: 1, jobId: 1);
        var starting = Sample.Run(id: 2, jobId: 2, state: RunState.Starting, node: "node1");

        var plan = Supervisor.Decide(Snapshot([running, starting, Queued(3), Queued(4)], [Sample.Node(slots: 3)]), Now);

        Assert.Equal([new PlaceRun(3, "node1")], plan);
    }

    [Fact]
    public void Decide_NodeMemory_IsNotOvercommitted()
    {
        var plan = Supervisor.Decide(
            Snapshot([Queued(1, memory: 512 * MemorySize.MiB), Queued(2, memory: 512 * MemorySize.MiB), Queued(3, memory: 512 * MemorySize.MiB)], [Sample.Node(memory: MemorySize.GiB)]),
            Now);

        Assert.Equal([1L, 2L], Placements(plan).Select(p => p.RunId));
    }

    [Fact]
    public void Decide_MemoryOfRunsAlreadyOnTheNode_IsCounted()
    {
        var running = Sample.Running(id: 1, jobId: 1);
        running.MemoryBytes = 3 * MemorySize.GiB;

        var plan = Supervisor.Decide(Snapshot([running, Queued(2, memory: 2 * MemorySize.GiB), Queued(3, memory: MemorySize.GiB)], [Sample.Node(memory: 4 * MemorySize.GiB)]), Now);

        Assert.Equal([new PlaceRun(3, "node1")], plan);
    }

    [Fact]
    public void Decide_NodeCpu_IsNotOvercommitted()
    {
        var plan = Supervisor.Decide(Snapshot([Queued(1, cpu: 500), Queued(2, cpu: 500), Queued(3, cpu: 250)], [Sample.Node(cpu: 1000)]), Now);

        Assert.Equal([1L, 2L], Placements(plan).Select(p => p.RunId));
    }

    [Fact]
    public void Decide_RunTooBigForEveryNode_DoesNotHoldUpSmallerRunsBehindIt()
    {
        var plan = Supervisor.Decide(Snapshot([Queued(1, memory: 16 * MemorySize.GiB), Queued(2)], [Sample.Node(memory: 8 * MemorySize.GiB)]), Now);

        Assert.Equal([new PlaceRun(2, "node1")], plan);
    }

    [Fact]
    public void Decide_SeveralNodes_SpreadsRunsToTheNodeWithTheMostFreeMemory()
    {
        var plan = Supervisor.Decide(
            Snapshot([Queued(1, memory: 3 * MemorySize.GiB), Queued(2, memory: MemorySize.GiB), Queued(3, memory: MemorySize.GiB)], [Sample.Node("a", memory: 4 * MemorySize.GiB), Sample.Node("b", memory: 4 * MemorySize.GiB)]),
            Now);

        // Equal nodes: the first by name. Then "b" has the most room, then "b" again (3Gi free against 1Gi).
        Assert.Equal([new PlaceRun(1, "a"), new PlaceRun(2, "b"), new PlaceRun(3, "b")], plan);
    }

    [Fact]
    public void Decide_RunOfADedicatedQueue_GoesToThatQueuesNodes()
    {
        var plan = Supervisor.Decide(
            Snapshot([Queued(1, queue: "bigmem")], [Sample.Node("plain", memory: 64 * MemorySize.GiB), Sample.Node("big", memory: 8 * MemorySize.GiB, queues: "bigmem")]),
            Now);

        Assert.Equal([new PlaceRun(1, "big")], plan);
    }

    [Fact]
    public void Decide_DedicatedQueueWithNoUpNode_FallsBackToDefault()
    {
        var plan = Supervisor.Decide(
            Snapshot([Queued(1, queue: "bigmem")], [Sample.Node("plain"), Sample.Node("big", up: false, queues: "bigmem")]),
            Now);

        Assert.Equal([new PlaceRun(1, "plain", null, "default")], plan);
    }

    [Fact]
    public void Decide_DedicatedQueueThatNoNodeServes_FallsBackToDefault() =>
        Assert.Equal(
            [new PlaceRun(1, "plain", null, "default")],
            Supervisor.Decide(Snapshot([Queued(1, queue: "gpu")], [Sample.Node("plain")]), Now));

    [Fact]
    public void Decide_EngineThatPlaces_DedicatedQueueWithNoUpNode_IsHandedOverInDefault()
    {
        var snapshot = Snapshot([Queued(1, queue: "dedicated"), Queued(2)], [Sample.Node("node1"), Sample.Node("node2", up: false, queues: ["default", "dedicated"])]) with { EnginePlaces = true };

        Assert.Equal([new PlaceRun(1, null, null, "default"), new PlaceRun(2, null)], Placements(Supervisor.Decide(snapshot, Now)));
    }

    [Fact]
    public void Decide_EngineThatPlaces_DedicatedQueueWithAnUpNode_IsHandedOverInIt()
    {
        var snapshot = Snapshot([Queued(1, queue: "dedicated")], [Sample.Node("node1"), Sample.Node("node2", queues: ["default", "dedicated"])]) with { EnginePlaces = true };

        Assert.Equal([new PlaceRun(1, null)], Placements(Supervisor.Decide(snapshot, Now)));
    }

    [Fact]
    public void Decide_DefaultRun_NeverGoesToANodeThatDoesNotServeDefault() =>
        Assert.Empty(Supervisor.Decide(Snapshot([Queued(1)], [Sample.Node("big", queues: "bigmem")]), Now));

    [Fact]
    public void Decide_NodeServingSeveralQueues_TakesRunsOfEach()
    {
        var plan = Supervisor.Decide(
            Snapshot([Queued(1), Queued(2, queue: "bigmem")], [Sample.Node("both", queues: ["default", "bigmem"])]),
            Now);

        Assert.Equal([new PlaceRun(1, "both"), new PlaceRun(2, "both")], plan);
    }

    [Fact]
    public void Decide_ToolWithManyQueuedRuns_DoesNotStarveAnotherTool()
    {
        var runs = Enumerable.Range(1, 100).Select(i => Queued(i, tool: "greedy")).Append(Queued(101, tool: "modest")).ToList();

        var plan = Supervisor.Decide(Snapshot(runs, [Sample.Node(slots: 2)]), Now);

        Assert.Equal([new PlaceRun(1, "node1"), new PlaceRun(101, "node1")], plan);
    }

    [Fact]
    public void FairOrder_TakesTurnsBetweenToolsInSubmissionOrder()
    {
        Run[] queued = [Queued(5, tool: "b"), Queued(1, tool: "a"), Queued(2, tool: "a"), Queued(3, tool: "a"), Queued(4, tool: "c"), Queued(6, tool: "b")];

        var order = Supervisor.FairOrder(queued).Select(r => r.Id);

        Assert.Equal([1L, 4L, 5L, 2L, 6L, 3L], order);
    }

    [Fact]
    public void Decide_RunAlreadyPlaced_IsNotPlacedAgain()
    {
        var snapshot = Snapshot([Queued(1), Queued(2)], [Sample.Node()]);
        var plan = Supervisor.Decide(snapshot, Now);
        foreach (var place in Placements(plan))
        {
            RunTransitions.Place(snapshot.ActiveRuns.Single(r => r.Id == place.RunId), place.Node, Now);
        }

        Assert.Equal(2, plan.Count);
        Assert.Empty(Supervisor.Decide(snapshot, Now.AddSeconds(1)));
    }

    [Fact]
    public void Decide_HealthyRunningJob_NeedsNothing() =>
        Assert.Empty(Supervisor.Decide(Snapshot([Sample.Running()], [Sample.Node()]), Now));

    [Theory]
    [InlineData(RunState.Starting)]
    [InlineData(RunState.Running)]
    public void Decide_RunOfADeletedJob_IsStoppedWithTheJobsGracePeriod(RunState state)
    {
        var run = Sample.Run(state: state, node: "node1");
        var job = DeletedJob(graceSeconds: 40);

        var plan = Supervisor.Decide(Snapshot([run], [Sample.Node()], new JobSummary(job, false, run)), Now);

        Assert.Equal([new StopRun(1, RunReason.JobDeleted, TimeSpan.FromSeconds(40))], plan);
    }

    [Fact]
    public void Decide_QueuedRunOfADeletedJob_IsStoppedAndNotPlaced()
    {
        var run = Queued(1);

        var plan = Supervisor.Decide(Snapshot([run], [Sample.Node()], new JobSummary(DeletedJob(), false, run)), Now);

        Assert.Equal([new StopRun(1, RunReason.JobDeleted, TimeSpan.FromSeconds(15))], plan);
    }

    [Fact]
    public void Decide_RunsOfADisabledTool_AreStoppedAsToolDeleted()
    {
        var running = Sample.Running(id: 1, jobId: 1);
        var queued = Queued(2);
        var deletedJob = DeletedJob(1);

        var plan = Supervisor.Decide(
            Snapshot([running, queued], [Sample.Node()], new JobSummary(deletedJob, true, running), new JobSummary(Sample.Job(2), true, queued)),
            Now);

        Assert.Equal(
            [new StopRun(1, RunReason.ToolDeleted, TimeSpan.FromSeconds(15)), new StopRun(2, RunReason.ToolDeleted, TimeSpan.FromSeconds(15))],
            plan);
    }

    [Fact]
    public void Decide_StopAlreadyAsked_IsNotSentAgainWithinGracePlusThirtySeconds()
    {
        var run = Sample.Running();
        RunTransitions.RequestStop(run, RunReason.JobDeleted, Now);
        var snapshot = Snapshot([run], [Sample.Node()], new JobSummary(DeletedJob(graceSeconds: 15), false, run));

        Assert.Empty(Supervisor.Decide(snapshot, Now.AddSeconds(1)));
        Assert.Empty(Supervisor.Decide(snapshot, Now.AddSeconds(45)));
        Assert.Equal([new StopRun(1, RunReason.JobDeleted, TimeSpan.FromSeconds(15))], Supervisor.Decide(snapshot, Now.AddSeconds(46)));
    }

    [Fact]
    public void Decide_StopResentAfterGracePlusThirtySeconds_IsNotSentAgainOnTheNextTick()
    {
        // The supervisor ticks every second. A re-sent stop is applied with RequestStop, as the
        // controller does; the next stop may only follow after another grace + 30 s, not at once.
        var run = Sample.Running();
        RunTransitions.RequestStop(run, RunReason.JobDeleted, Now);
        var snapshot = Snapshot([run], [Sample.Node()], new JobSummary(DeletedJob(graceSeconds: 15), false, run));
        var resentAt = Now.AddSeconds(46);
        var resend = Assert.IsType<StopRun>(Assert.Single(Supervisor.Decide(snapshot, resentAt)));
        RunTransitions.RequestStop(run, resend.Reason, resentAt);

        Assert.Empty(Supervisor.Decide(snapshot, resentAt.AddSeconds(1)));
    }

    [Fact]
    public void Decide_StopAskedForAnotherReason_IsAskedAgainAtOnceWithTheNewReason()
    {
        var run = Sample.Running();
        RunTransitions.RequestStop(run, RunReason.Stopped, Now);

        var plan = Supervisor.Decide(Snapshot([run], [Sample.Node()], new JobSummary(DeletedJob(), false, run)), Now.AddSeconds(1));

        Assert.Equal([new StopRun(1, RunReason.JobDeleted, TimeSpan.FromSeconds(15))], plan);
    }

    [Fact]
    public void Decide_StopAskedByAMaintainerOfALiveJob_IsLeftToTheRun()
    {
        var run = Sample.Running();
        RunTransitions.RequestStop(run, RunReason.Stopped, Now);

        Assert.Empty(Supervisor.Decide(Snapshot([run], [Sample.Node()]), Now.AddHours(1)));
    }

    [Fact]
    public void Decide_ARunAMaintainerStoppedAlone_IsAskedToStopOnce()
    {
        // What the API records for 'qdel ID': the reason, not yet asked.
        var run = Sample.Running();
        run.StopReason = RunReason.Stopped;

        var plan = Supervisor.Decide(Snapshot([run], [Sample.Node()]), Now);

        Assert.Equal([new StopRun(1, RunReason.Stopped, TimeSpan.FromSeconds(15))], plan);
        RunTransitions.RequestStop(run, RunReason.Stopped, Now);
        Assert.Empty(Supervisor.Decide(Snapshot([run], [Sample.Node()]), Now.AddSeconds(1)));
    }

    [Fact]
    public void Decide_DeletedJobWithNoActiveRun_IsPurged()
    {
        var ended = Sample.Run(state: RunState.Killed, node: "node1");

        var plan = Supervisor.Decide(new SupervisorSnapshot([new JobSummary(DeletedJob(7), false, ended)], [], [Sample.Node()]), Now);

        Assert.Equal([new PurgeJob(7)], plan);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(299, false)]
    [InlineData(300, true)]
    public void Decide_DeletedJobWhoseRunEnded_IsKeptAWhileSoThatAWaitingClientReadsHowItEnded(int secondsSinceEnd, bool purged)
    {
        var ended = Sample.Run(state: RunState.Killed, node: "node1");
        ended.FinishedAt = Now.AddSeconds(-secondsSinceEnd);

        var plan = Supervisor.Decide(new SupervisorSnapshot([new JobSummary(DeletedJob(7), false, ended)], [], [Sample.Node()]), Now);

        Assert.Equal(purged, plan.Contains(new PurgeJob(7)));
    }

    [Fact]
    public void Decide_DeletedJobWithAnActiveRun_IsNotPurgedYet()
    {
        var run = Sample.Running();

        var plan = Supervisor.Decide(Snapshot([run], [Sample.Node()], new JobSummary(DeletedJob(), false, run)), Now);

        Assert.DoesNotContain(plan, a => a is PurgeJob);
    }

    [Theory]
    [InlineData(RunState.Failed, 1, 1, true)]
    [InlineData(RunState.Failed, 1, 3, true)]
    [InlineData(RunState.Failed, 3, 3, true)]
    [InlineData(RunState.Failed, 4, 3, false)]
    [InlineData(RunState.Failed, 1, 0, false)]
    [InlineData(RunState.Lost, 1, 1, true)]
    [InlineData(RunState.Lost, 2, 1, false)]
    [InlineData(RunState.Killed, 1, 5, false)]
    [InlineData(RunState.Succeeded, 1, 5, false)]
    public void Decide_EndedOneOff_IsRetriedUpToItsRetryCount(RunState state, int attempt, int retry, bool retried)
    {
        var latest = Sample.Run(state: state, node: "node1", attempt: attempt);
        var job = Sample.Job(9, retry: retry);

        var plan = Supervisor.Decide(new SupervisorSnapshot([new JobSummary(job, false, latest)], [], [Sample.Node()]), Now);

        Assert.Equal(retried ? [new RetryJob(9, attempt + 1)] : [], plan);
    }

    [Fact]
    public void Decide_FailedRunWhileAnotherRunOfTheJobIsActive_IsNotRetried()
    {
        var failed = Sample.Run(id: 1, state: RunState.Failed, node: "node1");
        var queued = Sample.Run(id: 2, attempt: 2);

        var plan = Supervisor.Decide(new SupervisorSnapshot([new JobSummary(Sample.Job(retry: 3), false, failed)], [queued], [Sample.Node()]), Now);

        Assert.Equal([new PlaceRun(2, "node1")], plan);
    }

    [Fact]
    public void Decide_FailedRunOfADeletedJob_IsNotRetried()
    {
        var job = DeletedJob();
        job.Retry = 3;

        var plan = Supervisor.Decide(new SupervisorSnapshot([new JobSummary(job, false, Sample.Run(state: RunState.Failed, node: "node1"))], [], []), Now);

        Assert.Equal([new PurgeJob(1)], plan);
    }

    [Fact]
    public void Decide_FailedRunOfADisabledTool_IsNotRetried() =>
        Assert.Empty(Supervisor.Decide(new SupervisorSnapshot([new JobSummary(Sample.Job(retry: 3), true, Sample.Run(state: RunState.Failed, node: "node1"))], [], [Sample.Node()]), Now));

    [Fact]
    public void Decide_FailedRunOfAContinuousJob_IsRestartedNotRetried()
    {
        var job = Sample.Job();
        job.Kind = JobKind.Continuous;

        Assert.Equal(
            [new QueueRun(job.Id, RunReason.Restarted)],
            Supervisor.Decide(new SupervisorSnapshot([new JobSummary(job, false, Sample.Run(state: RunState.Failed, node: "node1"))], [], [Sample.Node()]), Now));
    }

    [Fact]
    public void Decide_FailedRunOfAScheduledJob_IsRetriedLikeAOneOff()
    {
        var job = Sample.Job(retry: 3);
        job.Kind = JobKind.Scheduled;

        Assert.Equal(
            [new RetryJob(job.Id, 2)],
            Supervisor.Decide(new SupervisorSnapshot([new JobSummary(job, false, Sample.Run(state: RunState.Failed, node: "node1"))], [], [Sample.Node()]), Now));
    }

    [Fact]
    public void Decide_JobWithoutRuns_NeedsNothing() =>
        Assert.Empty(Supervisor.Decide(new SupervisorSnapshot([new JobSummary(Sample.Job(retry: 3), false, null)], [], [Sample.Node()]), Now));

    /// <summary>A scheduled job whose run for <paramref name="dueAt"/> was started ahead and is held (job 1, run 5).</summary>
    private static (Job Job, Run Held) HeldRun(DateTimeOffset dueAt, DateTimeOffset? lastDueAt, ConcurrencyPolicy concurrency = ConcurrencyPolicy.Forbid)
    {
        var job = Sample.Job(1);
        job.Kind = JobKind.Scheduled;
        job.Schedule = "0 * * * *";
        job.Concurrency = concurrency;
        job.LastDueAt = lastDueAt;
        var held = Sample.Run(5, jobId: 1, state: RunState.Starting, node: "node1");
        held.DueAt = dueAt;
        held.NotBefore = dueAt;
        return (job, held);
    }

    [Fact]
    public void Decide_RunHeldForADueTimeTheJobHasDealtWith_IsLeftToStart()
    {
        var (job, held) = HeldRun(Now.AddSeconds(20), lastDueAt: Now.AddSeconds(20));

        Assert.DoesNotContain(Supervisor.Decide(new SupervisorSnapshot([new JobSummary(job, false, held)], [held], [Sample.Node()]), Now), a => a is StopRun);
    }

    [Fact]
    public void Decide_RunHeldForADueTimeAChangeSetBack_IsReplaced()
    {
        var (job, held) = HeldRun(Now.AddSeconds(20), lastDueAt: Now.AddSeconds(-1));

        Assert.Contains(
            new StopRun(held.Id, RunReason.Replaced, TimeSpan.FromSeconds(job.GracePeriodSeconds)),
            Supervisor.Decide(new SupervisorSnapshot([new JobSummary(job, false, held)], [held], [Sample.Node()]), Now));
    }

    [Fact]
    public void Decide_RunHeldOfAJobNoLongerScheduled_IsReplaced()
    {
        var (job, held) = HeldRun(Now.AddSeconds(20), lastDueAt: Now.AddSeconds(20));
        job.Kind = JobKind.OneOff;

        Assert.Contains(new StopRun(held.Id, RunReason.Replaced, TimeSpan.FromSeconds(job.GracePeriodSeconds)), Supervisor.Decide(new SupervisorSnapshot([new JobSummary(job, false, held)], [held], [Sample.Node()]), Now));
    }

    [Theory]
    [InlineData(ConcurrencyPolicy.Forbid, true)]
    [InlineData(ConcurrencyPolicy.Allow, false)]
    [InlineData(ConcurrencyPolicy.Replace, false)]
    public void Decide_RunHeldBesideARunStartedNow_UnderForbid_IsNotStarted(ConcurrencyPolicy concurrency, bool stopped)
    {
        var (job, held) = HeldRun(Now.AddSeconds(20), lastDueAt: Now.AddSeconds(20), concurrency);
        var manual = Sample.Run(6, jobId: 1, state: RunState.Running, node: "node1");

        var plan = Supervisor.Decide(new SupervisorSnapshot([new JobSummary(job, false, manual)], [held, manual], [Sample.Node()]), Now);

        Assert.Equal(stopped, plan.Contains(new StopRun(held.Id, RunReason.Overlap, TimeSpan.FromSeconds(job.GracePeriodSeconds))));
        Assert.DoesNotContain(plan, a => a is StopRun { RunId: 6 });
    }

    [Fact]
    public void Decide_TwoRunsHeldUnderForbid_AreNotTakenForAnOverlap()
    {
        var (job, held) = HeldRun(Now.AddSeconds(20), lastDueAt: Now.AddSeconds(20));
        var queuedHeld = Sample.Run(6, jobId: 1);
        queuedHeld.DueAt = queuedHeld.NotBefore = Now.AddSeconds(20);

        Assert.DoesNotContain(Supervisor.Decide(new SupervisorSnapshot([new JobSummary(job, false, held)], [held, queuedHeld], [Sample.Node()]), Now), a => a is StopRun);
    }

    [Theory]
    [InlineData(false, 10, false)]
    [InlineData(false, 299, false)]
    [InlineData(false, 300, true)]
    [InlineData(true, 0, true)]
    public void Decide_InteractiveJob_IsPurgedOnceItsSessionDeletedItOrLongAfterItsRunEnded(bool deletedBySession, int secondsSinceEnd, bool purged)
    {
        var job = Sample.Job(1);
        job.Interactive = true;
        job.DeletedAt = deletedBySession ? Now : null;
        var run = Sample.Run(5, jobId: 1, state: RunState.Failed, node: "node1");
        run.FinishedAt = Now.AddSeconds(-secondsSinceEnd);

        var plan = Supervisor.Decide(new SupervisorSnapshot([new JobSummary(job, false, run)], [], [Sample.Node()]), Now);

        Assert.Equal(purged, plan.Contains(new PurgeJob(1)));
    }
}

