using Toolgrid.Contracts.Runs;
using Toolgrid.Controller.Tests.Support;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Controller.Tests;

/// <summary>What the history trim (<see cref="StoreUpkeep.TrimHistoryAsync"/>) keeps and deletes, on a real store.</summary>
public sealed class StoreUpkeepTests : IAsyncLifetime
{
    private ControllerHarness _h = null!;

    public async Task InitializeAsync() => _h = await ControllerHarness.CreateAsync(new Dictionary<string, string?>
    {
        ["Toolgrid:Controller:RunHistory"] = "2",
        ["Toolgrid:Controller:RunHistoryDays"] = "7",
    });

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private StoreUpkeep Upkeep => (StoreUpkeep)_h.Services.GetService(typeof(StoreUpkeep))!;

    [Fact]
    public async Task Trim_KeepsEachJobsNewestEndedRuns_AndEveryRunThatEndedWithinTheAge_DeletesTheRest()
    {
        await _h.AddToolAsync();
        var busy = await _h.AddJobAsync(name: "busy");
        var old = await EndedRunsAsync(busy, 6, daysAgo: 20);
        var recent = await EndedRunsAsync(busy, 4, daysAgo: 3);
        var rare = await _h.AddJobAsync(name: "rare");
        var rareRuns = await EndedRunsAsync(rare, 3, daysAgo: 40);

        var trimmed = await Upkeep.TrimHistoryAsync(new RunHistoryRule(3, TimeSpan.FromDays(7)), _h.Token);

        // busy: its 4 runs of the last week are kept by age (more than the 3 kept by count); its older ones go.
        Assert.Equal(recent, Ids(await _h.RunsOfAsync(busy.Id)));

        // rare: its newest 3 are kept however old they are.
        Assert.Equal(rareRuns, Ids(await _h.RunsOfAsync(rare.Id)));
        Assert.Equal(old.Count, trimmed);
    }

    [Fact]
    public async Task Trim_NeverDeletesARunThatHasNotEnded_NorTheJobsLastOutcome()
    {
        await _h.AddToolAsync();
        var job = await _h.AddJobAsync(name: "bot", configure: j => j.Kind = JobKind.Continuous);
        var ended = await EndedRunsAsync(job, 3, daysAgo: 30);

        // An old run that is still queued (its node has no room), and the newest one, running.
        var queued = await _h.QueueRunAsync(job, r => r.SubmittedAt = _h.Time.GetUtcNow().AddDays(-30));
        var running = await _h.QueueRunAsync(job, r =>
        {
            r.State = RunState.Running;
            r.SubmittedAt = _h.Time.GetUtcNow().AddDays(-29);
            r.StartedAt = r.SubmittedAt;
        });

        var trimmed = await Upkeep.TrimHistoryAsync(new RunHistoryRule(1, TimeSpan.Zero), _h.Token);

        // The last ended run is what 'jobs list' shows as the job's last outcome: it stays.
        Assert.Equal([ended[^1], queued.Id, running.Id], Ids(await _h.RunsOfAsync(job.Id)));
        Assert.Equal(2, trimmed);
    }

    [Fact]
    public async Task Trim_OfMoreRunsThanABatch_DeletesThemAllInSeveralBatches_AcrossJobs()
    {
        await _h.AddToolAsync();
        var jobs = new List<Job>();
        var kept = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var job = await _h.AddJobAsync(name: "cron" + i, configure: j => j.Kind = JobKind.Scheduled);
            jobs.Add(job);
            var runs = await EndedRunsAsync(job, 25, daysAgo: 10);
            kept.AddRange(runs.TakeLast(2));
        }

        var trimmed = await Upkeep.TrimHistoryAsync(new RunHistoryRule(2, TimeSpan.FromDays(7), BatchSize: 7), _h.Token);

        Assert.Equal(3 * 23, trimmed);
        Assert.Equal(kept, Ids(await _h.AllRunsAsync()));
    }

    [Fact]
    public async Task TheController_TrimsWhenItStarts_ThenOnceAnHour()
    {
        await _h.AddToolAsync();
        var job = await _h.AddJobAsync();
        var first = await EndedRunsAsync(job, 4, daysAgo: 10);

        // RunHistory 2, RunHistoryDays 7 (the harness's settings): the two oldest go at the first reconcile.
        await _h.ReconcileAsync();
        Assert.Equal(first[2..], Ids(await _h.RunsOfAsync(job.Id)));

        var more = await EndedRunsAsync(job, 2, daysAgo: 9);
        _h.Time.Advance(TimeSpan.FromMinutes(59));
        await _h.ReconcileAsync();
        Assert.Equal([.. first[2..], .. more], Ids(await _h.RunsOfAsync(job.Id)));

        _h.Time.Advance(TimeSpan.FromMinutes(1));
        await _h.ReconcileAsync();
        Assert.Equal(more, Ids(await _h.RunsOfAsync(job.Id)));
    }

    private static List<long> Ids(IEnumerable<Run> runs) => runs.Select(r => r.Id).ToList();

    /// <summary><paramref name="count"/> ended runs of <paramref name="job"/>, one a minute, the first <paramref name="daysAgo"/> days ago.</summary>
    private async Task<List<long>> EndedRunsAsync(Job job, int count, int daysAgo)
    {
        var ids = new List<long>();
        var first = _h.Time.GetUtcNow().AddDays(-daysAgo);
        for (var i = 0; i < count; i++)
        {
            var submitted = first.AddMinutes(i);
            var run = await _h.QueueRunAsync(job, r =>
            {
                r.State = i % 3 == 1 ? RunState.Failed : RunState.Succeeded;
                r.SubmittedAt = submitted;
                r.StartedAt = submitted;
                r.FinishedAt = submitted.AddSeconds(30);
            });
            ids.Add(run.Id);
        }

        return ids;
    }
}
