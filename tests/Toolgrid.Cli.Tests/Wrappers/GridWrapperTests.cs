using System.Text.Json;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Tests.Wrappers;

/// <summary>
/// The grid-era wrappers, run in-process by the name they are called by, against the API
/// stand-in: what they send, and what they print as the grid printed it.
/// </summary>
public sealed class GridWrapperTests : IAsyncLifetime
{
    private const string Jobs = "/api/v1/tools/mytool/jobs";

    private readonly CliHarness _cli = new();
    private readonly string _home = Directory.CreateTempSubdirectory("tgcli-home-").FullName;
    private ApiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartUnixAsync();
        _cli.Variables["TOOLGRID_API"] = _server.Address.ToString();
        _cli.Variables["TOOLGRID_TOOL"] = "mytool";
        _cli.Variables["HOME"] = _home;
        _server.AnswerJson("GET", "/api/v1/tools/mytool", Sample.Tool(), CliJsonContext.Default.ToolView);
    }

    public async Task DisposeAsync()
    {
        Directory.Delete(_home, recursive: true);
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Jsub_PrintsTheNumberOfTheRunItQueued_NotAnOlderOne()
    {
        // Submitted again: the job's runs are the new one (19) and the one before (18).
        var job = Sample.Job("fetch", runs: [Sample.Run(id: 19), Sample.Run("succeeded", "exited", id: 18, node: "node1")]);
        _server.AnswerJson("POST", Jobs + "/fetch/runs", job, CliJsonContext.Default.JobView);

        var result = await _cli.RunAsAsync("jsub", "-N", "fetch", "/bin/true");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Your job 19 (\"fetch\") has been submitted\n", result.Out);
        var request = Assert.Single(_server.Requests, r => r.Method == "POST");
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("/bin/true", body.RootElement.GetProperty("job").GetProperty("command").GetString());
        Assert.False(body.RootElement.TryGetProperty("once", out _));
    }

    [Fact]
    public async Task Jstart_PrintsTheNumberOfTheContinuousJobsFirstRun()
    {
        var job = Sample.Job("bot3", runs: [Sample.Run(id: 23)]) with { Kind = "continuous" };
        _server.AnswerJson("POST", Jobs + "/bot3/runs", job, CliJsonContext.Default.JobView, status: 201);

        var result = await _cli.RunAsAsync("jstart", "-N", "bot3", "/bin/sleep", "100");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Your job 23 (\"bot3\") has been submitted\n", result.Out);
        using var body = JsonDocument.Parse(Assert.Single(_server.Requests, r => r.Method == "POST").Body);
        Assert.True(body.RootElement.GetProperty("once").GetBoolean());
        Assert.True(body.RootElement.GetProperty("job").GetProperty("continuous").GetBoolean());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task JsubOnce_OnARunningJob_SaysSoOnTheTerminal_AndInTheErrorFile_QuietOnlyInTheFile(bool quiet)
    {
        _server.AnswerProblem("POST", Jobs + "/fetch/runs", 409, "job-active", "there is a job named 'fetch' already active (run 19, running).");
        string[] args = quiet ? ["-N", "fetch", "-once", "-quiet", "/bin/true"] : ["-N", "fetch", "-once", "/bin/true"];

        var result = await _cli.RunAsAsync("jsub", args);

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Equal(quiet ? "" : "jsub: error: there is a job named 'fetch' already active (run 19, running).\n", result.Error);
        Assert.Contains("jsub: there is a job named 'fetch' already active (run 19, running).", await File.ReadAllTextAsync(Path.Combine(_home, "fetch.err")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jsub_AJobTheApiRefuses_ExitsTwo_NamingEachProblemByTheFlagThatSetsIt()
    {
        _server.AnswerProblem("POST", Jobs + "/fetch/runs", 400, "validation", "2 problems", ("job.mem", "64Gi is more than tool 'mytool' may use, 8Gi."), ("job.environment", "HOME is set by the platform for every run and cannot be changed; drop it from `environment`."));

        var result = await _cli.RunAsAsync("jsub", "-N", "fetch", "-mem", "64g", "-v", "HOME=/x", "/bin/true");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(
            """
            jsub: error: -mem: 64Gi is more than tool 'mytool' may use, 8Gi.
            jsub: error: -v: HOME is set by the platform for every run and cannot be changed; drop it from -v.

            """,
            result.Error);
    }

    [Fact]
    public async Task Qstat_ListsQueuedAndRunningRunsInQstatsColumns()
    {
        IReadOnlyList<JobView> jobs =
        [
            Sample.Job("bot3", status: "running", runs: [Sample.Run("running", "started", id: 19, node: "node1")]) with { Kind = "continuous" },
            Sample.Job("fetch", status: "queued", runs: [Sample.Run(id: 21), Sample.Run("succeeded", "exited", id: 20, node: "node1")]),
            Sample.Job("old", finished: true, status: "succeeded", runs: [Sample.Run("succeeded", "exited", id: 5, node: "node1")]),
        ];
        _server.AnswerJson("GET", Jobs, jobs, CliJsonContext.Default.IReadOnlyListJobView);

        var result = await _cli.RunAsAsync("qstat");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            """
            job-ID  prior   name       user         state submit/start at     queue                          slots ja-task-ID
            -----------------------------------------------------------------------------------------------------------------
                 19 0.00000 bot3       tools.mytool r     06/01/2025 11:56:00 default@node1                      1
                 21 0.00000 fetch      tools.mytool qw    06/01/2025 11:55:00                                    1

            """,
            result.Out);
    }

    [Fact]
    public async Task QstatJ_ShowsOneJob_AndSaysWhichDoNotExist()
    {
        _server.AnswerJson("GET", Jobs, [Sample.Job("fetch", runs: [Sample.Run("running", "started", id: 21, node: "node1")])], CliJsonContext.Default.IReadOnlyListJobView);

        var shown = await _cli.RunAsAsync("qstat", "-j", "21");
        var missing = await _cli.RunAsAsync("qstat", "-j", "99");

        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("job_number:                 21\n", shown.Out, StringComparison.Ordinal);
        Assert.Contains("job_name:                   fetch\n", shown.Out, StringComparison.Ordinal);
        Assert.Contains("script_file:                ./fetch.sh --all\n", shown.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Refused, missing.ExitCode);
        Assert.Equal("Following jobs do not exist: \n99\n", missing.Out);
    }

    [Fact]
    public async Task Qdel_StopsARunByNumber_AContinuousJobByDeletingIt_AndDeniesWhatDoesNotRun()
    {
        IReadOnlyList<JobView> jobs =
        [
            Sample.Job("bot3", runs: [Sample.Run("running", "started", id: 19, node: "node1")]) with { Kind = "continuous" },
            Sample.Job("fetch", runs: [Sample.Run("running", "started", id: 21, node: "node1")]),
        ];
        _server.AnswerJson("GET", Jobs, jobs, CliJsonContext.Default.IReadOnlyListJobView);
        _server.AnswerJson("DELETE", "/api/v1/tools/mytool/runs/21", jobs[1], CliJsonContext.Default.JobView, status: 202);
        _server.AnswerJson("DELETE", Jobs + "/bot3", jobs[0] with { Deleting = true }, CliJsonContext.Default.JobView, status: 202);

        var result = await _cli.RunAsAsync("qdel", "21", "19", "77");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Equal("tools.mytool has registered the job 21 for deletion\ntools.mytool has registered the job 19 for deletion\n", result.Out);
        Assert.Equal("denied: job \"77\" does not exist\n", result.Error);
        Assert.Equal(
            ["DELETE /api/v1/tools/mytool/runs/21", "DELETE " + Jobs + "/bot3"],
            _server.Requests.Where(r => r.Method == "DELETE").Select(r => $"{r.Method} {r.Path}"));
    }
}
