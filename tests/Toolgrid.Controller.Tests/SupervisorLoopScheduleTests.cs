using Toolgrid.Contracts.Runs;
using Toolgrid.Controller.Tests.Support;
using Toolgrid.Core.Jobs;

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
    public async Task AScheduleChanged_TakesEffectAtTheNextPass_ThoughTheOldOneWasNotDueForHours()
    {
        var job = (await ScheduledJobsAsync(1, "0 6 * * *"))[0];
        await _h.StepAsync();
        await _h.StepAsync();
        Assert.Empty(await _h.AllRunsAsync());

        // As `jobs load` and `jobs set` change it: every minute from now on.
        var changedAt = _h.Time.GetUtcNow();
        await _h.UpdateJobAsync(job.Id, j => JobDiff.Apply(j, new Job
        {
            ToolName = j.ToolName,
            Name = j.Name,
            Kind = JobKind.Scheduled,
            Command = j.Command,
            MemoryBytes = j.MemoryBytes,
            CpuMillis = j.CpuMillis,
            Schedule = "* * * * *",
            CreatedBy = j.CreatedBy,
        }, changedAt));
        _h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 27, 12, 0, 40, TimeSpan.Zero));

        await _h.StepAsync();

        var run = Assert.Single(await _h.AllRunsAsync());
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 12, 1, 0, TimeSpan.Zero), run.DueAt);
    }

    [Fact]
    public async Task NotYetDue_BeyondTheLeadTime_NothingRuns()
    {
        await ScheduledJobsAsync(3, "30 * * * *");
        _h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 27, 12, 29, 29, TimeSpan.Zero));

        await _h.StepAsync();

        Assert.Empty(await _h.AllRunsAsync());
    }

    [Fact]
    public async Task WithinTheLeadTime_EachRunIsPlacedAndLaunchedAhead_HeldUntilItsDueTime_AndOnlyOnce()
    {
        var jobs = await ScheduledJobsAsync(5, "30 * * * *");
        var due = new DateTimeOffset(2026, 11, 27, 12, 30, 0, TimeSpan.Zero);
        _h.Time.SetUtcNow(due.AddSeconds(-20));

        await _h.StepAsync();
        await _h.StepAsync();

        var runs = await _h.AllRunsAsync();
        Assert.Equal(jobs.Select(j => j.Id).Order(), runs.Select(r => r.JobId).Order());
        Assert.All(runs, r =>
        {
            Assert.Equal(due, r.DueAt);
            Assert.Equal(due, r.NotBefore);
            Assert.Equal(RunState.Starting, r.State);
        });
        Assert.All(_h.Backend.Starts, s => Assert.Equal(due, s.NotBefore));
        Assert.Equal(5, _h.Backend.Starts.Count);

        // Held by the backend, the runs are left alone; at the due time nothing new is queued.
        foreach (var run in runs)
        {
            _h.Backend.Hold(new Core.Backends.BackendRunReport(run.Id, "node1", Core.Backends.BackendRunPhase.Waiting));
        }

        await _h.ReconcileAsync();
        _h.Time.SetUtcNow(due.AddMilliseconds(200));
        await _h.StepAsync();

        Assert.Equal(5, (await _h.AllRunsAsync()).Count);
        Assert.Equal(5, _h.Backend.Starts.Count);
        Assert.All(await _h.AllRunsAsync(), r => Assert.Equal(RunState.Starting, r.State));
    }

    [Fact]
    public async Task ACommandChangedWhileARunIsHeld_TheHeldRunIsReplacedByOneOfTheNewCommand()
    {
        var job = (await ScheduledJobsAsync(1, "30 * * * *"))[0];
        var due = new DateTimeOffset(2026, 11, 27, 12, 30, 0, TimeSpan.Zero);
        _h.Time.SetUtcNow(due.AddSeconds(-20));
        await _h.StepAsync();
        await _h.StepAsync();
        var held = Assert.Single(await _h.AllRunsAsync());
        Assert.Equal(RunState.Starting, held.State);

        _h.Time.SetUtcNow(due.AddSeconds(-10));
        await _h.UpdateJobAsync(job.Id, j =>
        {
            var next = new Job { Kind = j.Kind, Schedule = j.Schedule, Command = "./new.sh", ToolName = j.ToolName, Name = j.Name, CreatedBy = j.CreatedBy, Environment = j.Environment };
            JobDiff.Apply(j, next, _h.Time.GetUtcNow());
        });
        await _h.StepAsync();

        Assert.Contains(_h.Backend.Stops, s => s.RunId == held.Id);
        await _h.ReportAsync(new Core.Backends.BackendRunReport(held.Id, "node1", Core.Backends.BackendRunPhase.Exited, Signal: 15, FinishedAt: _h.Time.GetUtcNow(), Message: "stopped before it started"));
        await _h.StepAsync();
        await _h.StepAsync();

        var runs = await _h.AllRunsAsync();
        Assert.Equal(RunReason.Replaced, runs.Single(r => r.Id == held.Id).Reason);
        var fresh = Assert.Single(runs, r => r.Id != held.Id);
        Assert.Equal("./new.sh", fresh.Command);
        Assert.Equal(due, fresh.NotBefore);
    }
}
