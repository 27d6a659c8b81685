using System.Net;
using Toolgrid.Contracts.Api;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>
/// Submitting a job by name (<c>POST …/jobs/{job}/runs</c>, what jsub sends) and stopping one run
/// (<c>DELETE …/runs/{run}</c>, qdel). This server has no controller, so runs stay as recorded.
/// </summary>
public sealed class RunEndpointsTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    private static object Submit(string command = "./fetch.sh", bool once = false, bool continuous = false) =>
        new { job = new { command, continuous = continuous ? true : (bool?)null }, once };

    [ApiFact]
    public async Task A_new_continuous_job_answers_with_its_first_run_queued_so_jstart_can_name_it()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("starter");

        var job = await nobody.RunJobAsync("starter", new { name = "bot", command = "./bot.py", continuous = true, replicas = 2 });

        Assert.Equal(2, job.Runs.Count);
        Assert.All(job.Runs, run => Assert.Equal(("queued", "submitted"), (run.State, run.Reason)));
        Assert.True(job.Runs[0].Id > job.Runs[1].Id, "newest first");
    }

    [ApiFact]
    public async Task Submitting_by_name_creates_runs_beside_without_once_and_refuses_with_once()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("submitter");

        using var first = await nobody.PostJsonAsync("/api/v1/tools/submitter/jobs/fetch/runs", Submit());
        var created = await first.ReadAsync<JobView>(HttpStatusCode.Created);
        var firstRun = Assert.Single(created.Runs);

        // Again while it is queued, as the grid allowed: a second run of its own.
        using var second = await nobody.PostJsonAsync("/api/v1/tools/submitter/jobs/fetch/runs", Submit());
        var beside = await second.ReadAsync<JobView>();
        Assert.Equal(2, beside.Runs.Count(r => r.State == "queued"));
        Assert.True(beside.Runs[0].Id > firstRun.Id, "the newest run is the one just queued");

        // With once (jsub -once, qcronsub): refused, naming the run; nothing queued.
        var before = await StoreSnapshot.TakeAsync(factory);
        using var refused = await nobody.PostJsonAsync("/api/v1/tools/submitter/jobs/fetch/runs", Submit(once: true));
        var problem = await refused.ProblemAsync(HttpStatusCode.Conflict, "job-active");
        Assert.StartsWith("there is a job named 'fetch' already active (run ", problem.Detail, StringComparison.Ordinal);

        // Changed while it runs: refused, its runs share its declaration.
        using var changed = await nobody.PostJsonAsync("/api/v1/tools/submitter/jobs/fetch/runs", Submit("./other.sh"));
        await changed.ProblemAsync(HttpStatusCode.Conflict, "job-active-differs");
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [ApiFact]
    public async Task Submitting_by_name_a_job_asking_for_a_fixed_port_another_job_has_is_refused_naming_that_job_and_records_nothing()
    {
        using var nobody = factory.As(People.Nobody);
        using var daemon = factory.As(People.Daemon);
        await nobody.CreateToolAsync("port-keeper");
        await daemon.CreateToolAsync("port-submitter");
        await nobody.RunJobAsync("port-keeper", new { name = "web", command = "./serve", continuous = true, port = 18081 });
        var before = await StoreSnapshot.TakeAsync(factory);

        using var created = await daemon.PostJsonAsync("/api/v1/tools/port-submitter/jobs/server/runs", new { job = new { command = "./serve", continuous = true, port = 18081 } });

        var problem = await created.ProblemAsync(HttpStatusCode.Conflict, "port-taken");
        Assert.Equal(
            "port 18081 is already the fixed port of job 'web' of tool 'port-keeper': two jobs cannot serve on one port. Choose another port, or 0 to have one assigned to each run in $PORT.",
            problem.Detail);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [ApiFact]
    public async Task A_job_submitted_again_once_it_has_ended_answers_with_its_new_run_as_submitted_now()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("again");
        using var first = await nobody.PostJsonAsync("/api/v1/tools/again/jobs/fetch/runs", Submit(once: true));
        var run = Assert.Single((await first.ReadAsync<JobView>(HttpStatusCode.Created)).Runs);

        // Stopped before it started (qdel): it has ended, and its job stays.
        using var stop = await nobody.DeleteAsync($"/api/v1/tools/again/runs/{run.Id}");
        var stopped = await stop.ReadAsync<JobView>(HttpStatusCode.Accepted);
        Assert.Equal(("killed", "stopped"), (stopped.Runs[0].State, stopped.Runs[0].Reason));

        using var again = await nobody.PostJsonAsync("/api/v1/tools/again/jobs/fetch/runs", Submit("./fetch.sh --all", once: true));
        var job = await again.ReadAsync<JobView>();

        Assert.Equal("./fetch.sh --all", job.Command);
        Assert.True(job.Runs[0].Id > run.Id);
        Assert.Equal("queued", job.Runs[0].State);
        Assert.Equal(job.Runs[0].Id, (await nobody.GetJsonAsync<JobView>("/api/v1/tools/again/jobs/fetch")).Runs[0].Id);
    }

    [ApiFact]
    public async Task A_run_of_a_continuous_job_is_not_stopped_alone_and_an_ended_run_is_not_stopped_again()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("keeper");
        var bot = await nobody.RunJobAsync("keeper", new { name = "bot", command = "./bot.py", continuous = true });
        var fetch = await nobody.RunJobAsync("keeper", "fetch");

        using var continuous = await nobody.DeleteAsync($"/api/v1/tools/keeper/runs/{bot.Runs[0].Id}");
        var problem = await continuous.ProblemAsync(HttpStatusCode.Conflict, "run-of-continuous-job");
        Assert.Contains("toolgrid jobs delete bot", problem.Detail, StringComparison.Ordinal);

        using (var stopped = await nobody.DeleteAsync($"/api/v1/tools/keeper/runs/{fetch.Runs[0].Id}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, stopped.StatusCode);
        }

        using var again = await nobody.DeleteAsync($"/api/v1/tools/keeper/runs/{fetch.Runs[0].Id}");
        await again.ProblemAsync(HttpStatusCode.Conflict, "run-ended");
        using var unknown = await nobody.DeleteAsync("/api/v1/tools/keeper/runs/999999");
        await unknown.ProblemAsync(HttpStatusCode.NotFound, "run-not-found");
    }

    [ApiFact]
    public async Task Another_tools_run_is_not_found_and_not_stopped()
    {
        using var nobody = factory.As(People.Nobody);
        using var daemon = factory.As(People.Daemon);
        await nobody.CreateToolAsync("owner-tool");
        await daemon.CreateToolAsync("other-tool");
        var fetch = await nobody.RunJobAsync("owner-tool", "fetch");

        using var foreign = await daemon.DeleteAsync($"/api/v1/tools/other-tool/runs/{fetch.Runs[0].Id}");

        await foreign.ProblemAsync(HttpStatusCode.NotFound, "run-not-found");
        Assert.Equal("queued", (await nobody.GetJsonAsync<JobView>("/api/v1/tools/owner-tool/jobs/fetch")).Runs[0].State);
    }
}
