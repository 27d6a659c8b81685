using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Scheduling;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Core.Tests.Supervision;

/// <summary>When the supervisor must look again though nothing changed (<see cref="NextLook"/>).</summary>
public sealed class NextLookTests
{
    private static readonly DateTimeOffset Now = Sample.Now;

    private static SupervisorSnapshot Snapshot(IReadOnlyList<JobSummary> jobs, IReadOnlyList<Run> active, DateTimeOffset? unread = null) =>
        new(jobs, active, [Sample.Node()]) { NextDueAt = unread };

    private static Job Daily(string schedule = "0 6 * * *")
    {
        var job = Sample.Job();
        job.Kind = JobKind.Scheduled;
        job.Schedule = schedule;
        job.CreatedAt = Now.AddHours(-1);
        return job;
    }

    [Fact]
    public void ContinuousRunsUp_NothingDue_OnlyAChangeBringsAStep()
    {
        var job = Sample.Job();
        job.Kind = JobKind.Continuous;

        Assert.Null(NextLook.At(Snapshot([new JobSummary(job, false, null)], [Sample.Running()]), Now));
    }

    [Fact]
    public void AScheduledJobNotRead_IsLookedAtItsLeadTimeBeforeItsDueTime()
    {
        var due = new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);

        Assert.Equal(due - ScheduleSettings.Default.LeadTime, NextLook.At(Snapshot([], [], unread: due), Now));
    }

    [Fact]
    public void AScheduledJobWithinItsLeadTime_ThatCouldNotStartAhead_IsLookedAtItsDueTime()
    {
        var job = Daily("1 12 * * *");
        job.Concurrency = ConcurrencyPolicy.Forbid;
        var now = new DateTimeOffset(2026, 11, 27, 12, 0, 40, TimeSpan.Zero);

        var at = NextLook.At(Snapshot([new JobSummary(job, false, null)], [Sample.Running()]), now);

        Assert.Equal(new DateTimeOffset(2026, 11, 27, 12, 1, 0, TimeSpan.Zero), at);
    }

    [Fact]
    public void ABackoff_IsLookedAtWhenItEnds()
    {
        var job = Sample.Job();
        job.Kind = JobKind.Continuous;
        job.NextStartAt = Now.AddSeconds(20);

        Assert.Equal(Now.AddSeconds(20), NextLook.At(Snapshot([new JobSummary(job, false, null)], []), Now));
    }

    [Fact]
    public void AQueuedRun_IsLookedAtEveryTick() =>
        Assert.Equal(Now, NextLook.At(Snapshot([new JobSummary(Sample.Job(), false, null)], [Sample.Run()]), Now));

    [Fact]
    public void ADeletedJobWhoseRunEnded_IsLookedAtWhenItsKeepingEnds()
    {
        var job = Sample.Job();
        job.DeletedAt = Now;
        var ended = Sample.Run(state: RunState.Killed, node: "node1");
        ended.FinishedAt = Now.AddSeconds(-10);

        Assert.Equal(ended.FinishedAt + Supervisor.EndedJobKept, NextLook.At(Snapshot([new JobSummary(job, false, ended)], []), Now));
    }
}
