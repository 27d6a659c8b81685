using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Store.Tests;

/// <summary>
/// The counts of runs by state kept by the store's triggers (<c>RunStateCounts</c>) say what a
/// <c>GROUP BY</c> over every run says, through inserts, state changes from several writers at
/// once, the history's trim and a job's purge, and from a store that had runs before them.
/// </summary>
public sealed class RunStateCountsTests : IAsyncLifetime
{
    private TempStore _store = null!;

    public async Task InitializeAsync() => _store = await TempStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task TheCounts_FollowInsertsStateChangesConcurrentEndsAndDeletes()
    {
        var (job, other) = await AddJobsAsync(_store);
        await using (var db = _store.NewContext())
        {
            for (var i = 0; i < 40; i++)
            {
                db.Runs.Add(RunOf(i % 2 == 0 ? job : other, i < 30 ? RunState.Running : RunState.Succeeded));
            }

            await db.SaveChangesAsync();
        }

        await AssertCountsAsync(new() { [RunState.Running] = 30, [RunState.Succeeded] = 10 });

        // Thirty runs end at once, each in its own context and transaction, as the controller's
        // and the node's writers would end them; a second change of the same run to the same
        // state counts once.
        var running = await IdsAsync(RunState.Running);
        await Task.WhenAll(running.Select((id, i) => Task.Run(async () =>
        {
            await using var db = _store.NewContext();
            var run = await db.Runs.SingleAsync(r => r.Id == id);
            run.State = i % 3 == 0 ? RunState.Failed : RunState.Succeeded;
            await db.SaveChangesAsync();
            await db.Runs.Where(r => r.Id == id).ExecuteUpdateAsync(u => u.SetProperty(r => r.State, run.State));
        })));
        await AssertCountsAsync(new() { [RunState.Failed] = 10, [RunState.Succeeded] = 30, [RunState.Running] = 0 });

        // The trim deletes ended runs by id; a purged job's runs go with it.
        await using (var db = _store.NewContext())
        {
            var trimmed = (await IdsAsync(RunState.Succeeded)).Take(12).ToList();
            await db.Runs.Where(r => trimmed.Contains(r.Id)).ExecuteDeleteAsync();
            await db.Jobs.Where(j => j.Id == other.Id).ExecuteDeleteAsync();
        }

        var left = await GroupByAsync(_store);
        Assert.True(left.Values.Sum() < 28, $"the job's runs were not deleted: {left.Values.Sum()} left");
        await AssertCountsAsync(left);
    }

    [Fact]
    public async Task TheMigration_CountsTheRunsAlreadyThere()
    {
        await using var store = await TempStore.CreateAsync(migrate: false);
        await using (var db = store.NewContext())
        {
            var migrations = db.Database.GetMigrations().ToList();
            await store.MigrateToAsync(migrations[^2]);
        }

        // Runs written before the counts and their triggers were there.
        var (job, other) = await AddJobsAsync(store);
        await using (var db = store.NewContext())
        {
            db.Runs.AddRange(RunOf(job, RunState.Lost), RunOf(other, RunState.Succeeded), RunOf(other, RunState.Succeeded));
            await db.SaveChangesAsync();
            await db.Database.MigrateAsync();
        }

        var counts = await CountsAsync(store);
        Assert.Equal(1, counts.GetValueOrDefault(RunState.Lost));
        Assert.Equal(2, counts.GetValueOrDefault(RunState.Succeeded));
        Assert.Equal(await GroupByAsync(store), counts.Where(c => c.Value > 0).ToDictionary());
    }

    private static async Task<(Job Job, Job Other)> AddJobsAsync(TempStore store)
    {
        await using var db = store.NewContext();
        db.Tools.Add(Sample.Tool());
        var job = Sample.Job();
        var other = Sample.Job(name: "other");
        db.Jobs.AddRange(job, other);
        await db.SaveChangesAsync();
        return (job, other);
    }

    private static Run RunOf(Job job, RunState state)
    {
        var run = Sample.Run(job);
        run.State = state;
        return run;
    }

    private async Task<List<long>> IdsAsync(RunState state)
    {
        await using var db = _store.NewContext();
        return await db.Runs.Where(r => r.State == state).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync();
    }

    private async Task AssertCountsAsync(Dictionary<RunState, long> expected)
    {
        var counts = await CountsAsync(_store);
        Assert.Equal(expected.Where(e => e.Value > 0).OrderBy(e => e.Key), counts.Where(c => c.Value > 0).OrderBy(c => c.Key));
        Assert.Equal(await GroupByAsync(_store), counts.Where(c => c.Value > 0).ToDictionary());
    }

    private static async Task<Dictionary<RunState, long>> CountsAsync(TempStore store)
    {
        await using var db = store.NewContext();
        return await db.RunStateCounts.ToDictionaryAsync(c => c.State, c => c.Count);
    }

    private static async Task<Dictionary<RunState, long>> GroupByAsync(TempStore store)
    {
        await using var db = store.NewContext();
        return await db.Runs.GroupBy(r => r.State).Select(g => new { g.Key, Count = (long)g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
    }
}
