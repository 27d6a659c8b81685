using Toolgrid.Controller.Tests.Support;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Controller.Tests;

/// <summary>Scheduled jobs through <see cref="SupervisorLoop.StepAsync"/> over a real store.</summary>
public sealed class SupervisorLoopScheduleTests : IAsyncLifetime
{
    private ControllerHarness _h = null!;

    public async Task InitializeAsync() => _h = await ControllerHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<List<Job>> ScheduledJobsAsync(int count, string schedule)
    {
        await _h.AddToolAsync();
        var jobs = new List<Job>();
        for (var i = 0; i < count; i++)
        {
            jobs.Add(await _h.AddJobAsync(name: "cron" + i, configure: j =>
            {
                j.Kind = JobKind.Scheduled;
                j.Schedule = schedule;
            }));
        }

        return jobs;
    }

    [Fact]
    public async Task ManyJobsDueOnTheSameMinute_EachGetsOneRun_InOnePass_AndNoneAgain()
    {
        var jobs = await ScheduledJobsAsync(40, "* * * * *");
        var due = new DateTimeOffset(2026, 11, 27, 12, 1, 0, TimeSpan.Zero);
        _h.Time.SetUtcNow(due.AddMilliseconds(300));

        await _h.StepAsync();
        await _h.StepAsync();

        var runs = await _h.AllRunsAsync();
        Assert.Equal(jobs.Select(j => j.Id).Order(), runs.Select(r => r.JobId).Order());
        Assert.All(runs, r =>
        {
            Assert.Equal(due, r.DueAt);
            Assert.NotEqual(RunState.Skipped, r.State);
        });
        Assert.All(jobs, j => Assert.Equal(due, _h.FindJobAsync(j.Id).Result!.LastDueAt));
    }

    [Fact]
    public async Task NotYetDue_NothingRuns()
    {
        await ScheduledJobsAsync(3, "30 * * * *");
        _h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 27, 12, 29, 59, TimeSpan.Zero));

        await _h.StepAsync();

        Assert.Empty(await _h.AllRunsAsync());
    }
}
