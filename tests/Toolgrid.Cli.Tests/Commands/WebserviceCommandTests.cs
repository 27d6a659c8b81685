using System.Text.Json;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Commands.Webservice;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Tests.Commands;

/// <summary><c>toolgrid webservice …</c>: what each command sends, and what it prints.</summary>
public sealed class WebserviceCommandTests : IAsyncLifetime
{
    private const string Path = "/api/v1/tools/mytool/webservice";

    private readonly CliHarness _cli = new();
    private ApiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartUnixAsync();
        _cli.Variables["TOOLGRID_API"] = _server.Address.ToString();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void ToRequest_CommandAfterDashes_IsEachWordQuoted_PortFilledInByTheRun()
    {
        var (parse, command) = TestCommandLine.Parse<WebserviceStartCommand>(
            "webservice", "start", "--replicas", "2", "--mem", "256Mi", "--cpu", "0.5", "--health-path", "/healthz", "--", "python3", "-m", "http.server", "$PORT");
        var problems = new Problems();

        var request = command.ToRequest(parse, problems);

        Assert.Empty(problems);
        Assert.Equal(new WebserviceStartRequest { Command = "python3 -m http.server \"$PORT\"", Replicas = 2, Mem = "256Mi", Cpu = "0.5", HealthPath = "/healthz" }, request);
    }

    [Fact]
    public void ToRequest_AShellAfterDashes_KeepsItsScriptOneWord()
    {
        var (parse, command) = TestCommandLine.Parse<WebserviceStartCommand>("webservice", "start", "--", "/bin/sh", "-c", "a && b");

        var request = command.ToRequest(parse, new Problems());

        Assert.Equal("/bin/sh -c 'a && b'", request.Command);
    }

    [Fact]
    public void ToRequest_AllowDotPaths_AsksForThem()
    {
        var (parse, command) = TestCommandLine.Parse<WebserviceStartCommand>("webservice", "start", "--allow-dot-paths", "--", "./serve");
        var problems = new Problems();

        var request = command.ToRequest(parse, problems);

        Assert.Empty(problems);
        Assert.True(request.AllowDotPaths);
    }

    [Fact]
    public void ToRequest_NothingGiven_LeavesTheApisDefaults()
    {
        var (parse, command) = TestCommandLine.Parse<WebserviceStartCommand>("webservice", "start");
        var problems = new Problems();

        Assert.Equal(new WebserviceStartRequest(), command.ToRequest(parse, problems));
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("type", "--type", "java")]
    [InlineData("command", "--type", "generic")]
    [InlineData("command", "--type", "node", "--", "npm", "start")]
    [InlineData("replicas", "--replicas", "0")]
    public void ToRequest_BadInput_IsReported(string field, params string[] args)
    {
        var (parse, command) = TestCommandLine.Parse<WebserviceStartCommand>(["webservice", "start", .. args]);
        var problems = new Problems();

        command.ToRequest(parse, problems);

        Assert.Equal(field, Assert.Single(problems).Field);
    }

    [Fact]
    public async Task Start_SendsTheRequest_AndSaysWhereItWillBe()
    {
        _server.AnswerJson("POST", Path, View("starting", "starting: waiting for the controller to place a replica", ready: 0), CliJsonContext.Default.WebserviceView);

        var result = await _cli.RunAsync("webservice", "start", "--tool", "mytool", "--", "./serve", "--port", "$PORT");

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST " + Path, $"{request.Method} {request.Path}");
        using var body = System.Text.Json.JsonDocument.Parse(request.Body);
        Assert.Equal("./serve --port \"$PORT\"", body.RootElement.GetProperty("command").GetString());
        Assert.Single(body.RootElement.EnumerateObject());
        Assert.Contains("web service of tool mytool (generic): starting: waiting for the controller to place a replica.", result.Out, StringComparison.Ordinal);
        Assert.Contains("http://mytool.toolgrid.test/", result.Out, StringComparison.Ordinal);
        Assert.Contains("toolgrid webservice logs --tool mytool -f", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadInput_SendsNothing()
    {
        var result = await _cli.RunAsync("webservice", "start", "--type", "generic", "--replicas", "0", "--tool", "mytool");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(_server.Requests);
        Assert.Contains("replica", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_TellsTheStateInWords_TheUrl_AndTheReplicas()
    {
        const string Status = "crash-looping: the last run ended (failed: exit code 1); ended 3 times in a row; next try in 40 s";
        _server.AnswerJson("GET", Path, View("crash-looping", Status, ready: 0), CliJsonContext.Default.WebserviceView);

        var result = await _cli.RunAsync("webservice", "status", "--tool", "mytool");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("crash-looping", result.Out, StringComparison.Ordinal);
        Assert.Contains("exit code 1", result.Out, StringComparison.Ordinal);
        Assert.Contains("http://mytool.toolgrid.test/", result.Out, StringComparison.Ordinal);
        Assert.Contains("0 ready of 2 wanted", result.Out, StringComparison.Ordinal);
        Assert.Contains("./serve --port $PORT", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ShowsTheWarning_AndWhetherDotPathsArePassedOn()
    {
        const string Warning = "listens on 0.0.0.0:31000 on node-1: reachable around the proxy; bind to $HOST (e.g. --bind '$HOST'), which the platform sets";
        _server.AnswerJson("GET", Path, View("running", "running: 2 of 2 replicas ready", ready: 2) with { Warning = Warning }, CliJsonContext.Default.WebserviceView);

        var result = await _cli.RunAsync("webservice", "status", "--tool", "mytool");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("listens on 0.0.0.0:31000 on node-1: reachable around the proxy", result.Out, StringComparison.Ordinal);
        Assert.Contains("answered 404 by the proxy", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Json_IsTheApisView()
    {
        _server.AnswerJson("GET", Path, View("running", "running: 2 of 2 replicas ready", ready: 2), CliJsonContext.Default.WebserviceView);

        var result = await _cli.RunAsync("webservice", "status", "--tool", "mytool", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("running", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("ready").GetInt32());
    }

    [Fact]
    public async Task StopAndRestart_SendTheirRequests()
    {
        _server.AnswerJson("DELETE", Path, View("stopped", "stopping: 2 replicas shutting down", ready: 0), CliJsonContext.Default.WebserviceView);
        _server.AnswerJson("POST", Path + "/restart", View("running", "running: 2 of 2 replicas ready", ready: 2), CliJsonContext.Default.WebserviceView);

        var stop = await _cli.RunAsync("webservice", "stop", "--tool", "mytool");
        var restart = await _cli.RunAsync("webservice", "restart", "--tool", "mytool");

        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.True(restart.ExitCode == 0, restart.ToString());
        Assert.Equal(["DELETE " + Path, "POST " + Path + "/restart"], _server.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Contains("stopping: 2 replicas shutting down", stop.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_AreTheWebserviceJobsLogs()
    {
        _server.Answer("GET", "/api/v1/tools/mytool/jobs/webservice/logs", 200, "Serving HTTP on 0.0.0.0 port 31000\n", "text/plain");

        var result = await _cli.RunAsync("webservice", "logs", "-n", "5", "--tool", "mytool");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("/api/v1/tools/mytool/jobs/webservice/logs?lines=5", Assert.Single(_server.Requests).PathAndQuery);
        Assert.Equal("Serving HTTP on 0.0.0.0 port 31000\n", result.Out);
    }

    [Fact]
    public async Task NoWebservice_IsAClearError()
    {
        _server.AnswerProblem("POST", Path + "/restart", 404, "webservice-not-found", "tool 'mytool' has no web service; start one with 'toolgrid webservice start'.");

        var result = await _cli.RunAsync("webservice", "restart", "--tool", "mytool");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("has no web service", result.Error, StringComparison.Ordinal);
    }

    private static WebserviceView View(string state, string status, int ready) => new(
        "mytool",
        "generic",
        state,
        status,
        ["http://mytool.toolgrid.test/"],
        Replicas: 2,
        Ready: ready,
        Sample.Job("webservice", status: status) with { Kind = "continuous", Command = "./serve --port $PORT", Replicas = 2, Webservice = "generic" });
}
