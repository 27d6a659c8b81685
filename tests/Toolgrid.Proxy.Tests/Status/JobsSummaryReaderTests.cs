using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Proxy.Status;
using Toolgrid.Proxy.Tests.Support;
using Toolgrid.Store;
using Toolgrid.Tests.Grid;
using Toolgrid.Tests.Store;

namespace Toolgrid.Proxy.Tests.Status;

/// <summary>The status page's read of every tool's jobs (<see cref="JobsSummaryReader"/>), on a real store.</summary>
public sealed class JobsSummaryReaderTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task TheRead_DoesNotGrowWithTheHistory_AndStillSaysEachJobsLastOutcome()
    {
        await _store.AddToolAsync("mytool");
        var nightly = await _store.AddJobAsync("mytool", "nightly", JobKind.Scheduled, RunState.Succeeded, RunState.Failed);
        var fetch = await _store.AddJobAsync("mytool", "fetch", JobKind.Scheduled, RunState.Succeeded);
        var counter = new StepCounter();

        IReadOnlyDictionary<string, JobsSummary> small;
        using (counter.Measure())
        {
            small = await ReadAsync(counter);
        }

        var smallSteps = counter.Steps;

        // A long history before the newest runs: a thousand ended runs of each job.
        await AddHistoryAsync(fetch, 1000);
        await AddHistoryAsync(nightly, 1000);
        await AddNewestAsync(nightly, RunState.Failed);
        await AddNewestAsync(fetch, RunState.Succeeded);
        IReadOnlyDictionary<string, JobsSummary> large;
        using (counter.Measure())
        {
            large = await ReadAsync(counter);
        }

        Assert.Equal(small["mytool"].Problems, large["mytool"].Problems);
        Assert.Equal(["nightly: its last run failed"], large["mytool"].Problems);

        // SQLite's own count of the virtual machine's steps for the whole read: it reads each
        // job's newest run, not its 1,000 older ones.
        Assert.True(counter.Steps < 3 * smallSteps, $"the read took {counter.Steps} steps with 2,000 more runs of history, against {smallSteps} without");
    }

    [Fact]
    public async Task TheRead_OfAJobWithARunHeldUntilDue_DoesNotGrowWithTheHistory()
    {
        await _store.AddToolAsync("mytool");
        var weekly = await _store.AddJobAsync("mytool", "weekly", JobKind.Scheduled, RunState.Failed);
        await AddHeldAsync(weekly);
        var counter = new StepCounter();

        IReadOnlyDictionary<string, JobsSummary> small;
        using (counter.Measure())
        {
            small = await ReadAsync(counter);
        }

        var smallSteps = counter.Steps;

        // A thousand ended runs newer than the first held one, the newest of them failed, and a
        // run held until its next due time after them: what the page says is in the last ended run.
        await AddHistoryAsync(weekly, 1000);
        await AddNewestAsync(weekly, RunState.Failed);
        await AddHeldAsync(weekly);
        IReadOnlyDictionary<string, JobsSummary> large;
        using (counter.Measure())
        {
            large = await ReadAsync(counter);
        }

        Assert.Equal(["weekly: its last run failed"], small["mytool"].Problems);
        Assert.Equal(["weekly: its last run failed"], large["mytool"].Problems);
        Assert.True(counter.Steps < 3 * smallSteps, $"the read took {counter.Steps} steps with 1,000 more runs of history before a held run, against {smallSteps} without");
    }

    [Fact]
    public async Task AChangeToAJob_ShowsAfterTheReadBehind_WhichNoVisitorWaitsFor()
    {
        await _store.AddToolAsync("mytool");
        var nightly = await _store.AddJobAsync("mytool", "nightly", JobKind.Scheduled, RunState.Failed);
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var options = new ProxyOptions();
        using var reader = new JobsSummaryReader(_store.Contexts, time, Options.Create(options));

        // The first read after the start is waited for.
        var first = await reader.GetAsync(CancellationToken.None);
        Assert.Equal(["nightly: its last run failed"], first.For("mytool").Problems);

        await AddNewestAsync(nightly, RunState.Succeeded);
        Assert.Same(first, await reader.GetAsync(CancellationToken.None));

        // Past the cache's time, the first visitor gets what was read before, and a read starts
        // behind; the visitors after it get what that read found.
        time.Advance(options.StatusCacheDuration);
        Assert.Same(first, await reader.GetAsync(CancellationToken.None));
        var next = await ReadUntilAsync(reader, s => !ReferenceEquals(s, first));
        Assert.Empty(next.For("mytool").Problems);
        Assert.False(next.Stale);
    }

    private static Task<JobsSummaries> ReadUntilAsync(JobsSummaryReader reader, Func<JobsSummaries, bool> done) =>
        Eventually.FoundAsync(
            "a read behind that replaced the summaries",
            async () => await reader.GetAsync(CancellationToken.None) is var read && done(read) ? read : null,
            ProxyHarness.Patience);

    private async Task<IReadOnlyDictionary<string, JobsSummary>> ReadAsync(StepCounter counter)
    {
        var options = new DbContextOptionsBuilder<ToolgridDbContext>();
        SqliteStore.Configure(options, new StoreOptions { Path = _store.StorePath });
        options.AddInterceptors(counter);
        using var reader = new JobsSummaryReader(new Contexts(options.Options), TimeProvider.System, Options.Create(new ProxyOptions()));
        return (await reader.GetAsync(CancellationToken.None)).ByTool;
    }

    private async Task AddHistoryAsync(Job job, int count)
    {
        await using var db = _store.Contexts.CreateDbContext();
        var at = TimeProvider.System.GetUtcNow().AddDays(-10);
        for (var i = 0; i < count; i++)
        {
            db.Runs.Add(Ended(job, RunState.Succeeded, at.AddMinutes(i)));
        }

        await db.SaveChangesAsync();
    }

    private async Task AddNewestAsync(Job job, RunState state)
    {
        await using var db = _store.Contexts.CreateDbContext();
        db.Runs.Add(Ended(job, state, TimeProvider.System.GetUtcNow().AddMinutes(-1)));
        await db.SaveChangesAsync();
    }

    private async Task AddHeldAsync(Job job)
    {
        await using var db = _store.Contexts.CreateDbContext();
        var now = TimeProvider.System.GetUtcNow();
        db.Runs.Add(new Run
        {
            JobId = job.Id,
            ToolName = job.ToolName,
            JobName = job.Name,
            Command = job.Command,
            State = RunState.Queued,
            Reason = RunReason.Scheduled,
            SubmittedAt = now,
            DueAt = now.AddHours(1),
            NotBefore = now.AddHours(1),
        });
        await db.SaveChangesAsync();
    }

    private static Run Ended(Job job, RunState state, DateTimeOffset at) => new()
    {
        JobId = job.Id,
        ToolName = job.ToolName,
        JobName = job.Name,
        Command = job.Command,
        State = state,
        Reason = RunReason.Exited,
        ExitCode = state == RunState.Failed ? 1 : 0,
        Node = TestStore.Node,
        SubmittedAt = at,
        StartedAt = at,
        FinishedAt = at.AddSeconds(1),
    };

    private sealed class Contexts(DbContextOptions<ToolgridDbContext> options) : IDbContextFactory<ToolgridDbContext>
    {
        public ToolgridDbContext CreateDbContext() => new(options);
    }
}
