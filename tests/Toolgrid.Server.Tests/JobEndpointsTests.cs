using System.Net;
using Toolgrid.Contracts.Api;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>
/// <c>/api/v1/tools/{tool}/jobs</c>: declaring jobs, finding them, deleting them. This server has
/// no controller, so a submitted run stays queued, as it does until a controller places it.
/// </summary>
public sealed class JobEndpointsTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    /// <summary>Far longer than any answer here should take, far shorter than the client's own timeout.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    public static readonly TheoryData<string, string> ForeignRequests = new()
    {
        { "GET", "/api/v1/tools/private/jobs" },
        { "POST", "/api/v1/tools/private/jobs" },
        { "DELETE", "/api/v1/tools/private/jobs" },
        { "GET", "/api/v1/tools/private/jobs/fetch" },
        { "DELETE", "/api/v1/tools/private/jobs/fetch" },
        { "GET", "/api/v1/tools/private/jobs/fetch/logs" },
    };

    [ApiFact]
    public async Task Post_a_valid_job_answers_201_with_the_job_and_its_queued_first_run()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("runner");

        using var response = await nobody.PostJsonAsync("/api/v1/tools/runner/jobs", new
        {
            name = "fetch",
            command = "./fetch.sh --all",
            mem = "1Gi",
            cpu = "250m",
            retry = 2,
            emails = "onfailure",
            gracePeriod = 30,
            filelogStdout = "logs/fetch.log",
        });

        var job = await response.ReadAsync<JobView>(HttpStatusCode.Created);
        Assert.Equal("/api/v1/tools/runner/jobs/fetch", response.Headers.Location?.OriginalString);
        Assert.Equal(("runner", "fetch", "one-off", "./fetch.sh --all"), (job.Tool, job.Name, job.Kind, job.Command));
        Assert.Equal(("1Gi", "0.25", 2, "onfailure", 30), (job.Mem, job.Cpu, job.Retry, job.Emails, job.GracePeriod));
        Assert.Equal(("logs/fetch.log", "fetch.err"), (job.FilelogStdout, job.FilelogStderr));
        Assert.Equal(People.Nobody, job.CreatedBy);
        Assert.False(job.Deleting);
        Assert.False(job.Finished);
        Assert.StartsWith("queued", job.Status, StringComparison.Ordinal);
        var run = Assert.Single(job.Runs);
        Assert.Equal(("queued", "submitted", 1), (run.State, run.Reason, run.Attempt));
        Assert.Equal(("1Gi", "0.25"), (run.Mem, run.Cpu));
        Assert.Null(run.Node);
        Assert.Null(run.StartedAt);
    }

    [ApiFact]
    public async Task Post_a_job_with_only_name_and_command_gets_the_sites_defaults()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("defaults");

        var job = await nobody.RunJobAsync("defaults", new { name = "plain", command = "date" });

        Assert.Equal(("512Mi", "0.5", 0, "default", "none", 15), (job.Mem, job.Cpu, job.Retry, job.Queue, job.Emails, job.GracePeriod));
        Assert.Equal(("plain.out", "plain.err"), (job.FilelogStdout, job.FilelogStderr));
        Assert.Equal(("512Mi", "0.5"), (Assert.Single(job.Runs).Mem, job.Runs[0].Cpu));
    }

    [ApiFact]
    public async Task Post_a_job_with_every_field_wrong_reports_every_problem_at_once_and_writes_nothing()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("careless");
        var before = await StoreSnapshot.TakeAsync(factory);

        using var response = await nobody.PostJsonAsync("/api/v1/tools/careless/jobs", """
            {
              "name": "Bad Name",
              "command": "",
              "mem": "lots",
              "cpu": "fast",
              "retry": "two",
              "gracePeriod": 99999,
              "queue": "gpu",
              "emails": "sometimes",
              "filelogStdout": "../elsewhere/out.log",
              "colour": "blue"
            }
            """);

        var problem = await response.ValidationProblemAsync();
        Assert.Equal(
            ["colour", "command", "cpu", "emails", "filelogStdout", "gracePeriod", "mem", "name", "queue", "retry"],
            problem.Fields.Order(StringComparer.Ordinal));
        Assert.StartsWith("10 problems: ", problem.Detail, StringComparison.Ordinal);
        Assert.Equal("expected a whole number, got string.", problem.MessageFor("retry"));
        Assert.Contains("unknown field 'colour'", problem.MessageFor("colour"), StringComparison.Ordinal);
        Assert.Contains("leads outside the tool's home", problem.MessageFor("filelogStdout"), StringComparison.Ordinal);
        Assert.Contains("there is no queue named 'gpu'", problem.MessageFor("queue"), StringComparison.Ordinal);
        Assert.Contains("onfailure", problem.MessageFor("emails"), StringComparison.Ordinal);
        Assert.Contains("3600", problem.MessageFor("gracePeriod"), StringComparison.Ordinal);
        Assert.Empty(await nobody.ListJobsAsync("careless"));
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [ApiTheory]
    [InlineData("""{"name": "r", "command": "true", "retry": 6}""", "retry", "between 0 and 5")]
    [InlineData("""{"name": "r", "command": "true", "retry": -1}""", "retry", "between 0 and 5")]
    [InlineData("""{"name": "r", "command": "true", "mem": "512"}""", "mem", "did you mean 512Mi?")]
    [InlineData("""{"name": "r", "command": "true", "cpu": "2"}""", "cpu", "ceiling of 1")]
    [InlineData("""{"name": "r", "command": "true", "filelogStdout": "/etc/cron.d/evil"}""", "filelogStdout", "outside the tool's home")]
    [InlineData("""{"name": "r", "command": "true", "filelog": false, "filelogStderr": "r.err"}""", "filelog", "file logging is off")]
    [InlineData("""{"name": "r", "command": "true", "filelog": "yes"}""", "filelog", "expected true or false, got string.")]
    public async Task Post_a_job_with_one_field_wrong_says_what_is_wrong_with_it(string body, string field, string message)
    {
        using var nobody = factory.As(People.Nobody);
        await EnsureToolAsync(nobody, "single-faults");

        using var response = await nobody.PostJsonAsync("/api/v1/tools/single-faults/jobs", body);

        var problem = await response.ValidationProblemAsync();
        Assert.Equal([field], problem.Fields);
        Assert.Contains(message, problem.MessageFor(field), StringComparison.Ordinal);
    }

    /// <summary>A field that was given, with the wrong type, is not also reported as missing.</summary>
    [ApiFact]
    // Known defect: StrictJson.ReadAsync drops a mistyped field, then the rules also call it missing.
    public async Task Post_a_job_with_a_field_of_the_wrong_type_reports_that_field_once()
    {
        using var nobody = factory.As(People.Nobody);
        await EnsureToolAsync(nobody, "single-faults");

        using var response = await nobody.PostJsonAsync("/api/v1/tools/single-faults/jobs", """{"name": "r", "command": 42}""");

        var problem = await response.ValidationProblemAsync();
        Assert.Equal("expected a string, got number.", problem.MessageFor("command"));
    }

    [ApiFact]
    public async Task Post_a_job_whose_name_is_taken_answers_409_job_exists_and_queues_nothing_more()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("repeater");
        await nobody.RunJobAsync("repeater", "fetch");
        var before = await StoreSnapshot.TakeAsync(factory);

        using var response = await nobody.PostJsonAsync("/api/v1/tools/repeater/jobs", new { name = "fetch", command = "other" });

        var problem = await response.ProblemAsync(HttpStatusCode.Conflict, "job-exists");
        Assert.Contains("toolgrid jobs delete fetch", problem.Detail, StringComparison.Ordinal);

        // Running it again is no way to change a job; the answer says which is.
        Assert.Contains("toolgrid jobs load", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
        Assert.Equal("true", Assert.Single(await nobody.ListJobsAsync("repeater")).Command);
    }

    [ApiFact]
    public async Task Post_one_job_more_than_the_quota_answers_403_saying_how_to_make_room_and_making_room_works()
    {
        using var nobody = factory.As(People.Nobody);
        using var root = factory.As(People.Root);
        await nobody.CreateToolAsync("hoarder");
        await root.PatchLimitsAsync("hoarder", new { maxJobs = "2" });
        await nobody.RunJobAsync("hoarder", "one");
        await nobody.RunJobAsync("hoarder", "two");

        using var response = await nobody.PostJsonAsync("/api/v1/tools/hoarder/jobs", new { name = "three", command = "true" });

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "quota-exceeded");
        Assert.Contains("has 2 jobs and may have 2", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("toolgrid jobs delete", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("ask an admin", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(["one", "two"], (await nobody.ListJobsAsync("hoarder")).Select(j => j.Name));

        using (var deleted = await nobody.DeleteAsync("/api/v1/tools/hoarder/jobs/one"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        await nobody.RunJobAsync("hoarder", "three");
    }

    [ApiFact]
    public async Task A_job_asking_for_a_fixed_port_another_job_has_is_refused_naming_that_job_until_it_is_deleted()
    {
        using var nobody = factory.As(People.Nobody);
        using var daemon = factory.As(People.Daemon);
        await nobody.CreateToolAsync("port-owner");
        await daemon.CreateToolAsync("port-wanter");
        var web = new { name = "web", command = "./serve", continuous = true, port = 18080 };
        await nobody.RunJobAsync("port-owner", web);

        using var refused = await daemon.PostJsonAsync("/api/v1/tools/port-wanter/jobs", web);
        using var loaded = await daemon.PostJsonAsync("/api/v1/tools/port-wanter/jobs/apply", new { jobs = new[] { web } });
        var problem = await refused.ProblemAsync(HttpStatusCode.Conflict, "port-taken");
        await loaded.ProblemAsync(HttpStatusCode.Conflict, "port-taken");
        Assert.Empty(await daemon.ListJobsAsync("port-wanter"));

        using var deleted = await nobody.DeleteAsync("/api/v1/tools/port-owner/jobs/web");
        await daemon.RunJobAsync("port-wanter", web);

        Assert.Equal(
            "port 18080 is already the fixed port of job 'web' of tool 'port-owner': two jobs cannot serve on one port. Choose another port, or 0 to have one assigned to each run in $PORT.",
            problem.Detail);
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
    }

    [ApiFact]
    public async Task List_the_jobs_of_a_deleted_tool_says_the_tool_was_deleted()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("bygone");
        await nobody.RunJobAsync("bygone", "fetch");
        using (var deleted = await nobody.DeleteAsync("/api/v1/tools/bygone"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        using var response = await nobody.GetAsync("/api/v1/tools/bygone/jobs");

        var problem = await response.ProblemAsync(HttpStatusCode.Conflict, "tool-disabled");
        Assert.Contains("tool 'bygone' was deleted on", problem.Detail, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task Get_a_job_shows_it_with_its_runs()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("shown");
        var posted = await nobody.RunJobAsync("shown", new { name = "report", command = "./report" });

        var job = await nobody.GetJsonAsync<JobView>("/api/v1/tools/shown/jobs/report");

        Assert.Equal(("report", "./report", false), (job.Name, job.Command, job.Finished));
        Assert.Equal(posted.Runs[0].Id, Assert.Single(job.Runs).Id);
        Assert.Equal("queued", job.Runs[0].State);
    }

    [ApiFact]
    public async Task Get_an_unknown_job_answers_404_suggesting_the_nearest_names()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("suggestive");
        await nobody.RunJobAsync("suggestive", "fetch-all");
        await nobody.RunJobAsync("suggestive", "unrelated-thing");

        using var response = await nobody.GetAsync("/api/v1/tools/suggestive/jobs/fetch-al");

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound, "job-not-found");
        Assert.Contains("has no job named 'fetch-al'", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'fetch-all'?", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("unrelated-thing", problem.Detail, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task Delete_a_job_answers_202_deleting_and_frees_its_name()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("tidy");
        await nobody.RunJobAsync("tidy", "fetch");

        using var response = await nobody.DeleteAsync("/api/v1/tools/tidy/jobs/fetch");

        var job = await response.ReadAsync<JobView>(HttpStatusCode.Accepted);
        Assert.True(job.Deleting);
        Assert.StartsWith("deleting", job.Status, StringComparison.Ordinal);
        Assert.True((await nobody.GetJsonAsync<JobView>("/api/v1/tools/tidy/jobs/fetch")).Deleting);
        Assert.Empty(await nobody.ListJobsAsync("tidy"));
        using (var again = await nobody.DeleteAsync("/api/v1/tools/tidy/jobs/fetch"))
        {
            await again.ProblemAsync(HttpStatusCode.NotFound, "job-not-found");
        }

        var fresh = await nobody.RunJobAsync("tidy", "fetch");
        Assert.False(fresh.Deleting);
        Assert.Equal(1, Assert.Single(fresh.Runs).Attempt);
    }

    [ApiFact]
    public async Task Flush_answers_202_with_every_job_deleting_and_leaves_none()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("flushed");
        await nobody.RunJobAsync("flushed", "one");
        await nobody.RunJobAsync("flushed", "two");

        using var response = await nobody.DeleteAsync("/api/v1/tools/flushed/jobs");

        var jobs = await response.ReadAsync<List<JobView>>(HttpStatusCode.Accepted);
        Assert.Equal(["one", "two"], jobs.Select(j => j.Name).Order(StringComparer.Ordinal));
        Assert.All(jobs, j => Assert.True(j.Deleting));
        Assert.Empty(await nobody.ListJobsAsync("flushed"));
        Assert.Equal(0, (await nobody.GetToolAsync("flushed")).Jobs);
    }

    [ApiFact]
    public async Task Flush_with_no_jobs_answers_202_with_an_empty_list()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("empty-flush");

        using var response = await nobody.DeleteAsync("/api/v1/tools/empty-flush/jobs");

        Assert.Empty(await response.ReadAsync<List<JobView>>(HttpStatusCode.Accepted));
    }

    [ApiTheory]
    [MemberData(nameof(ForeignRequests))]
    public async Task Jobs_of_a_tool_are_refused_to_a_non_maintainer_with_403(string method, string path)
    {
        using var nobody = factory.As(People.Nobody);
        using var daemon = factory.As(People.Daemon);
        await EnsureToolAsync(nobody, "private");
        if ((await nobody.ListJobsAsync("private")).Count == 0)
        {
            await nobody.RunJobAsync("private", "fetch");
        }

        var before = await StoreSnapshot.TakeAsync(factory);

        using var response = method == "POST"
            ? await daemon.PostJsonAsync(path, new { name = "intruder", command = "true" })
            : await daemon.SendAsync(new HttpRequestMessage(new HttpMethod(method), Http.Url(path)));

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "not-a-maintainer");
        Assert.Contains("(nobody)", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [ApiFact]
    public async Task An_admin_may_run_a_job_for_a_tool_they_do_not_maintain()
    {
        using var nobody = factory.As(People.Nobody);
        using var root = factory.As(People.Root);
        await nobody.CreateToolAsync("helped");

        var job = await root.RunJobAsync("helped", "rescue");

        Assert.Equal(People.Root, job.CreatedBy);
    }

    [ApiFact]
    public async Task Get_with_wait_answers_once_the_run_is_recorded_as_finished()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("awaited");
        await nobody.RunJobAsync("awaited", "quick");

        var waiting = nobody.GetJsonAsync<JobView>("/api/v1/tools/awaited/jobs/quick?wait=true&timeout=300");
        await factory.RecordExitAsync("awaited", "quick", exitCode: 0);
        var job = await waiting.WaitAsync(Generous);

        Assert.True(job.Finished);
        Assert.Equal(("succeeded", 0), (Assert.Single(job.Runs).State, job.Runs[0].ExitCode));
    }

    [ApiFact]
    public async Task Get_with_wait_on_a_finished_job_answers_at_once()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("done");
        await nobody.RunJobAsync("done", "quick");
        await factory.RecordExitAsync("done", "quick", exitCode: 3);

        var job = await nobody.GetJsonAsync<JobView>("/api/v1/tools/done/jobs/quick?wait=true&timeout=300")
            .WaitAsync(Generous);

        Assert.True(job.Finished);
        Assert.Equal(("failed", 3), (Assert.Single(job.Runs).State, job.Runs[0].ExitCode));
    }

    private static async Task EnsureToolAsync(HttpClient client, string tool)
    {
        using var response = await client.GetAsync($"/api/v1/tools/{tool}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            await client.CreateToolAsync(tool);
        }
    }
}
