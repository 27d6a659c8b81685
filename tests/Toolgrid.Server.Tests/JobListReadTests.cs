using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Runs;
using Toolgrid.Server.Tests.Support;
using Xunit.Abstractions;

namespace Toolgrid.Server.Tests;

/// <summary>
/// <c>GET /api/v1/tools/{tool}/jobs</c> on a busy site: it finds the tool's runs that have not
/// ended through the index of runs not ended, by job, never by reading every active run of the
/// site nor every run of its jobs' history; and each job's newest run by one seek. Counted in
/// SQLite's own virtual machine steps for the whole request.
/// </summary>
public sealed class JobListReadTests(StepCountingApiFactory factory, ITestOutputHelper output) : IClassFixture<StepCountingApiFactory>
{
    private const int OtherToolsActiveRuns = 3000;
    private const int HistoryPerJob = 3;
    private const int LongHistoryPerJob = 1000;

    [ApiFact]
    public async Task Jobs_list_does_not_grow_with_other_tools_active_runs_and_still_shows_each_jobs_latest_and_active_runs()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("lister");
        await nobody.CreateToolAsync("busy");
        var fetch = await nobody.RunJobAsync("lister", "fetch");
        var crawl = await nobody.RunJobAsync("lister", "crawl");
        var spin = await nobody.RunJobAsync("busy", "spin");

        var (small, smallSteps) = await ListAsync(nobody);
        Assert.Equal(["crawl", "fetch"], small.Select(j => j.Name));
        Assert.All(small, j => Assert.Equal("queued", Assert.Single(j.Runs).State));

        // Another tool with thousands of runs waiting or running, and a few ended runs of each of
        // this tool's jobs, newer than the runs still queued.
        await AddRunsAsync(spin, OtherToolsActiveRuns, i => i % 2 == 0 ? RunState.Queued : RunState.Running);
        await AddRunsAsync(fetch, HistoryPerJob, _ => RunState.Succeeded);
        await AddRunsAsync(crawl, HistoryPerJob, i => i == HistoryPerJob - 1 ? RunState.Failed : RunState.Succeeded);

        var (large, largeSteps) = await ListAsync(nobody);
        output.WriteLine($"steps: {smallSteps} on the small store, {largeSteps} on the busy one");

        // Each job's newest run (ended) and its run still queued; nothing of the other tool's.
        Assert.Equal(["crawl", "fetch"], large.Select(j => j.Name));
        Assert.Equal(["failed", "queued"], large[0].Runs.Select(r => r.State));
        Assert.Equal(["succeeded", "queued"], large[1].Runs.Select(r => r.State));
        Assert.Equal(crawl.Runs[0].Id, large[0].Runs[1].Id);
        Assert.Equal(fetch.Runs[0].Id, large[1].Runs[1].Id);
        Assert.True(
            largeSteps < 3 * smallSteps,
            $"listing 2 jobs took {largeSteps} steps with {OtherToolsActiveRuns} active runs of another tool and {2 * HistoryPerJob} ended runs of its own, against {smallSteps} without");
    }

    [ApiFact]
    public async Task Jobs_list_does_not_grow_with_its_jobs_ended_runs()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("historian");
        var daily = await nobody.RunJobAsync("historian", "daily");
        var hourly = await nobody.RunJobAsync("historian", "hourly");

        var (small, smallSteps) = await ListAsync(nobody, "historian");
        Assert.All(small, j => Assert.Equal("queued", Assert.Single(j.Runs).State));

        // A long history of each job, every run of it newer than the run still queued: what the
        // list shows is at both ends of it.
        await AddRunsAsync(daily, LongHistoryPerJob, _ => RunState.Succeeded);
        await AddRunsAsync(hourly, LongHistoryPerJob, i => i == LongHistoryPerJob - 1 ? RunState.Lost : RunState.Failed);

        var (large, largeSteps) = await ListAsync(nobody, "historian");
        output.WriteLine($"steps: {smallSteps} with no history, {largeSteps} with {LongHistoryPerJob} ended runs per job");

        Assert.Equal(["daily", "hourly"], large.Select(j => j.Name));
        Assert.Equal(["succeeded", "queued"], large[0].Runs.Select(r => r.State));
        Assert.Equal(["lost", "queued"], large[1].Runs.Select(r => r.State));
        Assert.Equal(daily.Runs[0].Id, large[0].Runs[1].Id);
        Assert.Equal(hourly.Runs[0].Id, large[1].Runs[1].Id);
        Assert.True(
            largeSteps < 3 * smallSteps,
            $"listing 2 jobs took {largeSteps} steps with {LongHistoryPerJob} ended runs of each, against {smallSteps} without");
    }

    private async Task<(List<JobView> Jobs, long Steps)> ListAsync(HttpClient client, string tool = "lister")
    {
        List<JobView> jobs;
        using (factory.Steps.Measure())
        {
            jobs = await client.ListJobsAsync(tool);
        }

        Assert.True(factory.Steps.Steps > 0, "no SQLite steps were counted: the counter does not see the server's store");
        return (jobs, factory.Steps.Steps);
    }

    private async Task AddRunsAsync(JobView job, int count, Func<int, RunState> stateOf)
    {
        await using var db = factory.Store();
        var jobId = db.Jobs.Single(j => j.ToolName == job.Tool && j.Name == job.Name && j.DeletedAt == null).Id;
        var at = TimeProvider.System.GetUtcNow().AddDays(-10);
        for (var i = 0; i < count; i++)
        {
            var state = stateOf(i);
            var ended = state.IsTerminal();
            db.Runs.Add(new Run
            {
                JobId = jobId,
                ToolName = job.Tool,
                JobName = job.Name,
                Command = job.Command,
                State = state,
                Reason = ended ? RunReason.Exited : RunReason.Submitted,
                ExitCode = ended ? (state == RunState.Failed ? 1 : 0) : null,
                Node = state == RunState.Queued ? null : "node-1",
                SubmittedAt = at.AddMinutes(i),
                StartedAt = state == RunState.Queued ? null : at.AddMinutes(i),
                FinishedAt = ended ? at.AddMinutes(i).AddSeconds(1) : null,
            });
        }

        await db.SaveChangesAsync();
    }
}
