using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;

namespace Toolgrid.Core.Tests.Jobs;

public sealed class NewRunsTests
{
    [Fact]
    public void Of_TakesTheJobsCommandAndResourcesAsTheyAreNow()
    {
        var job = Sample.Job(id: 7);
        job.Queue = "task";
        job.Generation = 3;
        job.TimeoutSeconds = 600;

        var run = NewRuns.Of(job, 4, RunReason.Manual, Sample.Now);

        Assert.Equal(
            (7L, "mytool", "fetch", 4, RunState.Queued, RunReason.Manual, "task", "./fetch.sh", job.MemoryBytes, 500, 3, (int?)600, Sample.Now),
            (run.JobId, run.ToolName, run.JobName, run.Attempt, run.State, run.Reason, run.Queue, run.Command, run.MemoryBytes, run.CpuMillis, run.Generation, run.TimeoutSeconds, run.SubmittedAt));
    }

    [Theory]
    [InlineData(JobKind.OneOff, 0, 0, 1)]
    [InlineData(JobKind.OneOff, 5, 0, 1)]
    [InlineData(JobKind.Continuous, 0, 0, 1)]
    [InlineData(JobKind.Continuous, 5, 0, 6)]
    [InlineData(JobKind.Continuous, 5, 2, 8)]
    [InlineData(JobKind.Scheduled, 3, 0, 4)]
    public void Attempt_OneOffRunsAreEachTheFirst_OthersAreNumberedOn(JobKind kind, int last, int index, int expected) =>
        Assert.Equal(expected, NewRuns.Attempt(kind, last, index));

    [Fact]
    public void First_OfAContinuousJob_IsItsReplicasNumberedOnInOrder()
    {
        var job = Sample.Job();
        job.Kind = JobKind.Continuous;
        job.Replicas = 3;

        var runs = NewRuns.First(job, Sample.Now, lastAttempt: 4);

        Assert.Equal([5, 6, 7], runs.Select(r => r.Attempt));
        Assert.All(runs, r => Assert.Equal((RunReason.Submitted, RunState.Queued), (r.Reason, r.State)));
    }

    [Fact]
    public void First_OfAOneOffJob_IsOneFirstAttempt_AndOfAScheduledJobNone()
    {
        var oneOff = Sample.Job();
        var scheduled = Sample.Job();
        scheduled.Kind = JobKind.Scheduled;

        Assert.Equal([1], NewRuns.First(oneOff, Sample.Now, lastAttempt: 2).Select(r => r.Attempt));
        Assert.Empty(NewRuns.First(scheduled, Sample.Now));
    }
}
