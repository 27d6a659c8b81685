using Toolgrid.Core.Jobs;

namespace Toolgrid.Core.Tests.Jobs;

public sealed class JobDiffTests
{
    private static Job Scheduled(string schedule, string? zone = null)
    {
        var job = Sample.Job();
        job.Kind = JobKind.Scheduled;
        job.Schedule = schedule;
        job.TimeZone = zone;
        return job;
    }

    [Fact]
    public void Between_NewUmask_IsShownInOctalAsJobsShowPrintsIt()
    {
        var old = Sample.Job();
        var next = Sample.Job();
        next.Umask = 0b000_010_010;

        Assert.Equal(["umask: (default) → 022"], JobDiff.Between(old, next));
    }

    [Fact]
    public void Apply_NewSchedule_StartsFromNow_SoItsPastDueTimesAreNotMissed()
    {
        var job = Scheduled("0 * * * *");
        job.LastDueAt = Sample.Now.AddDays(-3);

        JobDiff.Apply(job, Scheduled("*/5 * * * *"), Sample.Now);

        Assert.Equal(Sample.Now, job.LastDueAt);
        Assert.Equal("*/5 * * * *", job.Schedule);
    }

    [Fact]
    public void Apply_NewTimeZone_StartsFromNow()
    {
        var job = Scheduled("0 2 * * *", "UTC");
        job.LastDueAt = Sample.Now.AddDays(-1);

        JobDiff.Apply(job, Scheduled("0 2 * * *", "Europe/Berlin"), Sample.Now.AddMinutes(5));

        Assert.Equal(Sample.Now.AddMinutes(5), job.LastDueAt);
    }

    [Fact]
    public void Apply_SameSchedule_KeepsWhereTheScheduleWas()
    {
        var job = Scheduled("0 * * * *");
        var last = Sample.Now.AddMinutes(-30);
        job.LastDueAt = last;
        var next = Scheduled("0 * * * *");
        next.Command = "./other.sh";

        JobDiff.Apply(job, next, Sample.Now);

        Assert.Equal(last, job.LastDueAt);
        Assert.Equal("./other.sh", job.Command);
    }

    [Fact]
    public void Apply_NewCommandWhileARunIsSetUpAhead_DecidesItsDueTimeAgain()
    {
        var job = Scheduled("0 * * * *");
        job.LastDueAt = Sample.Now.AddSeconds(20);
        var next = Scheduled("0 * * * *");
        next.Command = "./other.sh";

        JobDiff.Apply(job, next, Sample.Now);

        Assert.Equal(Sample.Now, job.LastDueAt);
    }

    [Fact]
    public void Apply_NewEmailsWhileARunIsSetUpAhead_KeepsIt()
    {
        var job = Scheduled("0 * * * *");
        job.LastDueAt = Sample.Now.AddSeconds(20);
        var next = Scheduled("0 * * * *");
        next.Emails = EmailPolicy.All;

        JobDiff.Apply(job, next, Sample.Now);

        Assert.Equal(Sample.Now.AddSeconds(20), job.LastDueAt);
    }

    [Fact]
    public void Apply_NoLongerScheduled_ForgetsTheLastDueTime()
    {
        var job = Scheduled("0 * * * *");
        job.LastDueAt = Sample.Now.AddMinutes(-30);

        JobDiff.Apply(job, Sample.Job(), Sample.Now);

        Assert.Null(job.LastDueAt);
        Assert.Equal(JobKind.OneOff, job.Kind);
    }

    [Fact]
    public void Apply_AWebserviceOfAnotherType_TakesTheTypeAndDotPaths_WithNewRuns()
    {
        var job = Sample.Job();
        job.Kind = JobKind.Continuous;
        job.Webservice = WebserviceType.Generic;
        var next = Sample.Job();
        next.Kind = JobKind.Continuous;
        next.Webservice = WebserviceType.Python;
        next.AllowDotPaths = true;
        var generation = job.Generation;

        JobDiff.Apply(job, next, Sample.Now);

        Assert.Equal(WebserviceType.Python, job.Webservice);
        Assert.True(job.AllowDotPaths);
        Assert.Equal(generation + 1, job.Generation);
    }

    [Fact]
    public void Apply_OnlyDotPathsChanged_KeepsTheRuns()
    {
        var job = Sample.Job();
        job.Webservice = WebserviceType.Generic;
        var next = Sample.Job();
        next.Webservice = WebserviceType.Generic;
        next.AllowDotPaths = true;
        var generation = job.Generation;

        JobDiff.Apply(job, next, Sample.Now);

        Assert.True(job.AllowDotPaths);
        Assert.Equal(generation, job.Generation);
    }
}
