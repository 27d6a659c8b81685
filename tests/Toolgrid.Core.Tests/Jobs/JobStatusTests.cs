using Microsoft.Extensions.Time.Testing;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Tests.Jobs;

public sealed class JobStatusTests
{
    private static Run Latest(RunState state, RunReason reason, int attempt = 1, string? message = null, DateTimeOffset? finishedAt = null)
    {
        var run = Sample.Run(state: state, node: state == RunState.Queued ? null : "node1", attempt: attempt);
        run.Reason = reason;
        run.Message = message;
        run.StartedAt = state == RunState.Queued ? null : Sample.Now;
        run.FinishedAt = state.IsTerminal() ? finishedAt ?? Sample.Now : null;
        return run;
    }

    private static Run FailedExit3(int attempt = 1) => Latest(RunState.Failed, RunReason.Exited, attempt, "exit code 3");

    [Fact]
    public void Describe_NoRuns_SaysSo() => Assert.Equal("no runs yet", JobStatus.Describe(Sample.Job(), null, Sample.Now));

    [Fact]
    public void Describe_Queued_SaysItWaitsForANode() =>
        Assert.Equal("queued: waiting for a node", JobStatus.Describe(Sample.Job(), Latest(RunState.Queued, RunReason.Submitted), Sample.Now));

    [Fact]
    public void Describe_QueuedWithRetries_SaysTheAttempt() =>
        Assert.Equal(
            "queued (attempt 1 of 3): waiting for a node",
            JobStatus.Describe(Sample.Job(retry: 2), Latest(RunState.Queued, RunReason.Submitted), Sample.Now));

    [Fact]
    public void Describe_QueuedForARetry_SaysThePreviousAttemptFailed() =>
        Assert.Equal(
            "queued for a retry (attempt 2 of 3): the previous attempt failed",
            JobStatus.Describe(Sample.Job(retry: 2), Latest(RunState.Queued, RunReason.Retry, attempt: 2), Sample.Now));

    [Fact]
    public void Describe_Starting_NamesTheNode() =>
        Assert.Equal("starting on node1", JobStatus.Describe(Sample.Job(), Latest(RunState.Starting, RunReason.Placed), Sample.Now));

    [Fact]
    public void Describe_StartingRunAnEngineIsPlacing_SaysItsQueueNotAnEmptyNode()
    {
        var run = Latest(RunState.Starting, RunReason.Placed);
        run.Node = null;

        Assert.Equal("starting in queue default, where the grid engine chooses its node", JobStatus.Describe(Sample.Job(), run, Sample.Now));
    }

    [Fact]
    public void Describe_StartDeferred_SaysWhyAndWhenItIsTriedAgain() =>
        Assert.Equal(
            "waiting to start on node1: the disk of node node1 is full; trying again at 12:00:04 UTC",
            JobStatus.Describe(Sample.Job(), Latest(RunState.Starting, RunReason.StartDeferred, message: "the disk of node node1 is full; trying again at 12:00:04 UTC"), Sample.Now));

    [Fact]
    public void Describe_ContinuousJobWhoseRunCannotStartYet_SaysWhyNotJustStarting()
    {
        var job = Sample.Job();
        job.Kind = JobKind.Continuous;
        var run = Latest(RunState.Starting, RunReason.StartDeferred, message: "port 8000 on node node1 is taken by process 42 (nginx); trying again at 12:00:04 UTC");

        Assert.Equal(
            "waiting to start on node1: port 8000 on node node1 is taken by process 42 (nginx); trying again at 12:00:04 UTC",
            JobStatus.Describe(job, [run], Sample.Now));
    }

    [Fact]
    public void Describe_Running_NamesTheNodeAndHowLong() =>
        Assert.Equal(
            "running on node1 for 12s",
            JobStatus.Describe(Sample.Job(), Latest(RunState.Running, RunReason.Started), Sample.Now.AddSeconds(12)));

    [Fact]
    public void Describe_RunningWithAStopRequested_SaysItIsStoppingAndWhy()
    {
        var run = Latest(RunState.Running, RunReason.Started);
        RunTransitions.RequestStop(run, RunReason.Stopped, Sample.Now);

        Assert.Equal("stopping on node1 (stopped)", JobStatus.Describe(Sample.Job(), run, Sample.Now.AddSeconds(3)));
    }

    [Fact]
    public void Describe_Succeeded_SaysWhen() =>
        Assert.Equal(
            "succeeded 5m ago",
            JobStatus.Describe(Sample.Job(), Latest(RunState.Succeeded, RunReason.Exited, message: "exit code 0"), Sample.Now.AddMinutes(5)));

    [Fact]
    public void Describe_FailedWithRetriesLeft_SaysHowItFailedAndThatItIsRetrying() =>
        Assert.Equal(
            "failed (exited, exit code 3) (attempt 1 of 3); retrying",
            JobStatus.Describe(Sample.Job(retry: 2), FailedExit3(), Sample.Now.AddMinutes(1)));

    [Fact]
    public void Describe_FailedWithNoRetries_SaysHowAndWhen() =>
        Assert.Equal(
            "failed 2h ago: exited, exit code 3",
            JobStatus.Describe(Sample.Job(), FailedExit3(), Sample.Now.AddHours(2)));

    [Fact]
    public void Describe_LastAttemptFailed_SaysHowAndWhenWithoutRetrying() =>
        Assert.Equal(
            "failed 3d ago: exited, exit code 3 (attempt 3 of 3)",
            JobStatus.Describe(Sample.Job(retry: 2), FailedExit3(attempt: 3), Sample.Now.AddDays(3)));

    [Fact]
    public void Describe_OutOfMemory_UsesTheWireSpellingOfTheReason() =>
        Assert.Equal(
            "failed 10s ago: out-of-memory, went over its memory limit of 512Mi and was killed",
            JobStatus.Describe(Sample.Job(), Latest(RunState.Failed, RunReason.OutOfMemory, message: "went over its memory limit of 512Mi and was killed"), Sample.Now.AddSeconds(10)));

    [Fact]
    public void Describe_KilledWithRetriesLeft_IsNotRetried() =>
        Assert.Equal(
            "killed 0s ago: stopped, stopped before it started (attempt 1 of 3)",
            JobStatus.Describe(Sample.Job(retry: 2), Latest(RunState.Killed, RunReason.Stopped, message: "stopped before it started"), Sample.Now));

    [Fact]
    public void Describe_LostWithRetriesLeft_IsRetrying() =>
        Assert.Equal(
            "lost (node-lost) (attempt 1 of 2); retrying",
            JobStatus.Describe(Sample.Job(retry: 1), Latest(RunState.Lost, RunReason.NodeLost), Sample.Now));

    [Fact]
    public void Describe_DeletedWithAnActiveRun_SaysItIsStoppingTheRun()
    {
        var job = Sample.Job();
        job.DeletedAt = Sample.Now;

        Assert.Equal("deleting: stopping its run", JobStatus.Describe(job, Latest(RunState.Running, RunReason.Started), Sample.Now));
    }

    [Fact]
    public void Describe_DeletedWithNoActiveRun_SaysDeleted()
    {
        var job = Sample.Job(retry: 3);
        job.DeletedAt = Sample.Now;

        Assert.Equal("deleted", JobStatus.Describe(job, FailedExit3(), Sample.Now));
        Assert.Equal("deleted", JobStatus.Describe(job, null, Sample.Now));
    }

    [Fact]
    public void IsFinished_NoRunsYet_IsFalse() => Assert.False(JobStatus.IsFinished(Sample.Job(), null));

    [Theory]
    [InlineData(RunState.Queued)]
    [InlineData(RunState.Starting)]
    [InlineData(RunState.Running)]
    public void IsFinished_ActiveRun_IsFalse(RunState state)
    {
        var job = Sample.Job();
        job.DeletedAt = Sample.Now;

        Assert.False(JobStatus.IsFinished(job, Latest(state, RunReason.Submitted)));
    }

    [Theory]
    [InlineData(RunState.Succeeded, RunReason.Exited, 1, 0, true)]
    [InlineData(RunState.Succeeded, RunReason.Exited, 1, 3, true)]
    [InlineData(RunState.Killed, RunReason.Stopped, 1, 3, true)]
    [InlineData(RunState.Failed, RunReason.Exited, 1, 0, true)]
    [InlineData(RunState.Failed, RunReason.Exited, 1, 1, false)]
    [InlineData(RunState.Failed, RunReason.Exited, 2, 1, true)]
    [InlineData(RunState.Failed, RunReason.OutOfMemory, 3, 5, false)]
    [InlineData(RunState.Lost, RunReason.NodeLost, 1, 1, false)]
    [InlineData(RunState.Lost, RunReason.NodeLost, 2, 1, true)]
    public void IsFinished_OneOff_WhenNoRetryWillCome(RunState state, RunReason reason, int attempt, int retry, bool finished) =>
        Assert.Equal(finished, JobStatus.IsFinished(Sample.Job(retry: retry), Latest(state, reason, attempt)));

    [Fact]
    public void IsFinished_DeletedJobWithRetriesLeft_IsTrue()
    {
        var job = Sample.Job(retry: 3);
        job.DeletedAt = Sample.Now;

        Assert.True(JobStatus.IsFinished(job, FailedExit3()));
    }

    [Theory]
    [InlineData(JobKind.Continuous)]
    [InlineData(JobKind.Scheduled)]
    public void IsFinished_JobThatRunsAgain_OnlyOnceDeleted(JobKind kind)
    {
        var job = Sample.Job();
        job.Kind = kind;
        var latest = Latest(RunState.Succeeded, RunReason.Exited);

        Assert.False(JobStatus.IsFinished(job, latest));
        job.DeletedAt = Sample.Now;
        Assert.True(JobStatus.IsFinished(job, latest));
    }

    [Fact]
    public void Describe_CrashLoop_CountsTheRestartsThatHappened()
    {
        // A continuous bot that exits 1 at once, every time: the first run, then restarts.
        var time = new FakeTimeProvider(Sample.Now);
        var job = Sample.Job();
        job.Kind = JobKind.Continuous;
        var runs = new List<Run>();
        Run Start()
        {
            var run = Sample.Run(id: runs.Count + 1, state: RunState.Running, node: "node1", attempt: runs.Count + 1);
            run.StartedAt = time.GetUtcNow();
            runs.Insert(0, run);
            return run;
        }

        void End(Run run)
        {
            time.Advance(TimeSpan.FromSeconds(2));
            run.State = RunState.Failed;
            run.Reason = RunReason.Exited;
            run.ExitCode = 1;
            run.FinishedAt = time.GetUtcNow();
            Backoff.OnRunEnded(job, run, time.GetUtcNow())?.ApplyTo(job);
        }

        End(Start());
        End(Start());

        // Two runs so far: the first, and one restart; the next waits for its backoff.
        Assert.Equal("crash-looping: 1 restart in a row, last exit 1, next try in 10s", JobStatus.Describe(job, runs, time.GetUtcNow()));

        time.Advance(TimeSpan.FromSeconds(10));
        Start();
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("crash-looping: running again for 5s after 2 restarts in a row (last exit 1)", JobStatus.Describe(job, runs, time.GetUtcNow()));

        End(runs[0]);
        Assert.Equal("crash-looping: 2 restarts in a row, last exit 1, next try in 20s", JobStatus.Describe(job, runs, time.GetUtcNow()));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(-30, "0s")]
    [InlineData(12, "12s")]
    [InlineData(89, "89s")]
    [InlineData(90, "1m")]
    [InlineData(60 * 89, "89m")]
    [InlineData(60 * 90, "1h")]
    [InlineData(3600 * 47, "47h")]
    [InlineData(3600 * 48, "2d")]
    [InlineData(3600 * 24 * 400, "400d")]
    public void Ago_IsShortAndHuman(int seconds, string expected) => Assert.Equal(expected, JobStatus.Ago(TimeSpan.FromSeconds(seconds)));
}
