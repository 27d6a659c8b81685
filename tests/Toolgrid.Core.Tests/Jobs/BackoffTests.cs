using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Tests.Jobs;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(4, 40)]
    [InlineData(6, 160)]
    [InlineData(7, 300)]
    [InlineData(50, 300)]
    public void Delay_GrowsFromZeroToTheCap(int restartCount, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Backoff.Delay(restartCount));

    private static (Job Job, Run Run) Ended(TimeSpan upFor, RunState state = RunState.Failed)
    {
        var job = Sample.Job();
        job.Kind = JobKind.Continuous;
        var run = Sample.Run(state: state, node: "node1");
        run.StartedAt = Sample.Now - upFor;
        run.FinishedAt = Sample.Now;
        return (job, run);
    }

    [Fact]
    public void FirstEnd_RestartsAtOnce()
    {
        var (job, run) = Ended(TimeSpan.FromSeconds(3));

        Assert.Equal(new CrashLoopCount(1, Sample.Now), Backoff.OnRunEnded(job, run, Sample.Now));
        Assert.Equal(0, job.RestartCount);
    }

    [Fact]
    public void EndsInARow_WaitLongerEachTime()
    {
        var (job, run) = Ended(TimeSpan.FromSeconds(3));
        job.RestartCount = 3;

        Assert.Equal(new CrashLoopCount(4, Sample.Now.AddSeconds(40)), Backoff.OnRunEnded(job, run, Sample.Now));
    }

    [Fact]
    public void ARunUpForTenMinutes_StartsTheCountAgain()
    {
        var (job, run) = Ended(TimeSpan.FromMinutes(11));
        job.RestartCount = 9;

        Assert.Equal(new CrashLoopCount(1, Sample.Now), Backoff.OnRunEnded(job, run, Sample.Now));
    }

    [Fact]
    public void ARunStoppedOnPurpose_IsNoCrash()
    {
        var (job, run) = Ended(TimeSpan.FromSeconds(3), RunState.Killed);

        Assert.Null(Backoff.OnRunEnded(job, run, Sample.Now));
    }

    [Fact]
    public void ARunOfAnOlderGeneration_IsNoCrash()
    {
        var (job, run) = Ended(TimeSpan.FromSeconds(3));
        job.Generation = run.Generation + 1;

        Assert.Null(Backoff.OnRunEnded(job, run, Sample.Now));
    }

    [Fact]
    public void ACount_AppliedToItsJob_IsWhatTheNextEndCountsOn()
    {
        var (job, run) = Ended(TimeSpan.FromSeconds(3));

        Backoff.OnRunEnded(job, run, Sample.Now)!.ApplyTo(job);
        var next = Backoff.OnRunEnded(job, run, Sample.Now.AddSeconds(5));

        Assert.Equal((1, Sample.Now), (job.RestartCount, job.NextStartAt));
        Assert.Equal(new CrashLoopCount(2, Sample.Now.AddSeconds(10)), next);
    }
}
