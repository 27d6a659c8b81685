using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Runs;

namespace Toolgrid.Cli.Tests;

/// <summary>The whole CLI, run in-process as <c>toolgrid ARGS</c> against a real HTTP server on a Unix socket.</summary>
public sealed class ProgramTests : IAsyncLifetime
{
    private const string Jobs = "/api/v1/tools/mytool/jobs";

    private readonly CliHarness _cli = new();
    private ApiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartUnixAsync();
        _cli.Variables["TOOLGRID_API"] = _server.Address.ToString();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string[], string, string?> Requests => new()
    {
        { ["status"], "GET /api/v1/status", null },
        { ["whoami"], "GET /api/v1/whoami", null },
        { ["tools", "create", "newtool", "--description", "Does things"], "POST /api/v1/tools", """{"name":"newtool","description":"Does things"}""" },
        { ["tools", "list"], "GET /api/v1/tools", null },
        { ["tools", "list", "--all"], "GET /api/v1/tools?all=true", null },
        { ["tools", "show", "mytool"], "GET /api/v1/tools/mytool", null },
        { ["tools", "delete", "mytool", "--yes"], "DELETE /api/v1/tools/mytool", null },
        { ["tools", "limits", "mytool", "--max-mem", "8Gi", "--max-jobs", "default"], "PATCH /api/v1/tools/mytool/limits", """{"maxMemory":"8Gi","maxJobs":"default"}""" },
        { ["maintainers", "list", "mytool"], "GET /api/v1/tools/mytool/maintainers", null },
        { ["maintainers", "add", "mytool", "bob"], "PUT /api/v1/tools/mytool/maintainers/bob", null },
        { ["maintainers", "remove", "mytool", "bob"], "DELETE /api/v1/tools/mytool/maintainers/bob", null },
        { ["tokens", "create", "--name", "laptop", "--scope", "read", "--expires-in", "30"], "POST /api/v1/tokens", """{"name":"laptop","scope":"read","expiresInDays":30}""" },
        { ["tokens", "list"], "GET /api/v1/tokens", null },
        { ["tokens", "revoke", "3"], "DELETE /api/v1/tokens/3", null },
        { ["jobs", "run", "fetch", "--command", "./fetch.sh", "--mem", "1Gi", "--cpu", "0.5", "--no-filelog", "--emails", "onfailure"], "POST " + Jobs, """{"name":"fetch","command":"./fetch.sh","mem":"1Gi","cpu":"0.5","filelog":false,"emails":"onfailure"}""" },
        { ["jobs", "run", "nightly", "--command", "./n.sh", "--schedule", "@daily"], "POST " + Jobs, """{"name":"nightly","command":"./n.sh","schedule":"@daily"}""" },
        { ["jobs", "run", "hourly", "--command", "@hourly", "--schedule", "@hourly"], "POST " + Jobs, """{"name":"hourly","command":"@hourly","schedule":"@hourly"}""" },
        { ["jobs", "list"], "GET " + Jobs, null },
        { ["jobs", "show", "fetch"], "GET " + Jobs + "/fetch", null },
        { ["jobs", "logs", "fetch", "-n", "5", "--stream", "stdout"], "GET " + Jobs + "/fetch/logs?stream=stdout&lines=5", null },
        { ["jobs", "delete", "fetch"], "DELETE " + Jobs + "/fetch", null },
        { ["jobs", "flush"], "DELETE " + Jobs, null },
        { ["users", "limits", "alice"], "GET /api/v1/users/alice/limits", null },
        { ["users", "limits", "alice", "--max-tools", "50"], "PATCH /api/v1/users/alice/limits", """{"maxTools":"50"}""" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task EveryCommand_SendsItsRequest(string[] args, string expected, string? body)
    {
        ScriptEverything();

        var result = await _cli.RunAsync([.. args, "--tool", "mytool"]);

        Assert.True(result.ExitCode == 0, result.ToString());

        // Besides its own request, a command may ask who the caller is (tokens create, for the API's address).
        var request = _server.Requests[0];
        Assert.All(_server.Requests.Skip(1), r => Assert.Equal("GET /api/v1/whoami", $"{r.Method} {r.PathAndQuery}"));
        Assert.Equal(expected, $"{request.Method} {request.PathAndQuery}");
        Assert.Equal(request.Method is "POST" or "PUT", request.IdempotencyKey is not null);
        if (body is not null)
        {
            Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(body).RootElement, JsonDocument.Parse(request.Body).RootElement), request.Body);
        }
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task EveryCommand_WithJson_PrintsJson(string[] args, string expected, string? body)
    {
        _ = (expected, body);
        ScriptEverything();

        var result = await _cli.RunAsync([.. args, "--tool", "mytool", "--json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        if (args is ["jobs", "logs", ..])
        {
            return;
        }

        using var json = JsonDocument.Parse(result.Out);
        Assert.Contains(json.RootElement.ValueKind, new[] { JsonValueKind.Object, JsonValueKind.Array });
    }

    [Fact]
    public async Task JobsList_PrintsATable()
    {
        _server.AnswerJson("GET", Jobs, [Sample.Finished("failed", "out-of-memory", "went over its memory limit of 64Mi and was killed", signal: 9)], CliJsonContext.Default.IReadOnlyListJobView);

        var result = await _cli.RunAsync("jobs", "list", "--tool", "mytool");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("NAME", result.Out, StringComparison.Ordinal);
        Assert.Contains("failed 2 min ago", result.Out, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task NoTool_ActingAsATool_UsesThatTool()
    {
        _server.AnswerJson("GET", "/api/v1/whoami", Sample.WhoAmI(tool: "mytool"), CliJsonContext.Default.WhoAmIView);
        _server.AnswerJson("GET", Jobs, [], CliJsonContext.Default.IReadOnlyListJobView);

        var result = await _cli.RunAsync("jobs", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["/api/v1/whoami", Jobs], _server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task NoTool_AsAPerson_AsksWhichTool()
    {
        _server.AnswerJson("GET", "/api/v1/whoami", Sample.WhoAmI(null, "a", "b"), CliJsonContext.Default.WhoAmIView);

        var result = await _cli.RunAsync("jobs", "list");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(["toolgrid: error: which tool? you maintain: a, b — pass --tool NAME (or set TOOLGRID_TOOL)."], result.ErrorLines);
    }

    [Fact]
    public async Task ToolgridTool_NamesTheTool()
    {
        _cli.Variables["TOOLGRID_TOOL"] = "mytool";
        _server.AnswerJson("GET", Jobs, [], CliJsonContext.Default.IReadOnlyListJobView);

        var result = await _cli.RunAsync("jobs", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Jobs, Assert.Single(_server.Requests).Path);
    }

    [Fact]
    public async Task LocalProblems_AreReportedAndNothingIsSent()
    {
        // The job's own fields are the API's to check; the tool named on the command line is checked first.
        var result = await _cli.RunAsync(
            "jobs", "run", "Bad_Name", "--command", "x", "--mem", "12XB", "--cpu", "lots", "--no-filelog", "-o", "x.out", "--tool", "Bad");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Empty(_server.Requests);
        Assert.Equal(["--tool"], result.ErrorLines.Select(l => l["toolgrid: error: ".Length..l.IndexOf(':', "toolgrid: error: ".Length)]));
    }

    [Fact]
    public async Task ParseErrors_ExitTwoAndSendNothing()
    {
        var result = await _cli.RunAsync("jobs", "run", "fetch", "--retry", "many");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Empty(_server.Requests);
        Assert.Contains("toolgrid: error: Option '--command' is required.", result.ErrorLines);
        Assert.Contains("toolgrid: error: --retry: 'many' is not a whole number.", result.ErrorLines);
        Assert.Equal("toolgrid: see 'toolgrid jobs run --help'.", result.ErrorLines[^1]);
    }

    [Fact]
    public async Task AGroupAlone_ShowsItsHelpAndExitsTwo()
    {
        var result = await _cli.RunAsync("jobs");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("logs", result.Out, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Help_ListsTheCommands()
    {
        var result = await _cli.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "status", "whoami", "tools", "maintainers", "tokens", "jobs", "--tool", "--json", "--api" })
        {
            Assert.Contains(command, result.Out, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--mem", "lots")]
    [InlineData("--cpu", "lots")]
    [InlineData("--mem", "1Ki")]
    [InlineData("--cpu", "2")]
    public async Task AnInvalidFlagValue_ExitsTwo_WhoeverFindsIt(string flag, string value)
    {
        var field = flag.TrimStart('-');
        _server.AnswerProblem("POST", Jobs, 400, "validation-failed", "1 problem", (field, $"{value} is refused"));

        var result = await _cli.RunAsync("jobs", "run", "fetch", "--command", "x", flag, value, "--tool", "mytool");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.StartsWith($"toolgrid: error: {flag}: ", result.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AValidationProblem_IsPrintedPerFieldWithTheCliFlags()
    {
        _server.AnswerProblem(
            "POST",
            Jobs,
            400,
            "validation",
            "2 problems",
            ("mem", "8Gi is more than this tool's ceiling of 4Gi per job; ask an admin to raise it if the tool needs more."),
            ("filelogStdout", "'../x' leads outside the tool's home (/data/project/mytool)."));

        var result = await _cli.RunAsync("jobs", "run", "fetch", "--command", "x", "--mem", "8Gi", "-o", "../x", "--tool", "mytool");

        // An invalid value is a usage error whether the CLI or the API finds it.
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(
            [
                "toolgrid: error: --mem: 8Gi is more than this tool's ceiling of 4Gi per job; ask an admin to raise it if the tool needs more.",
                "toolgrid: error: -o: '../x' leads outside the tool's home (/data/project/mytool).",
            ],
            result.ErrorLines);
    }

    [Theory]
    [InlineData(401, "unauthenticated", ExitCodes.NoPermission)]
    [InlineData(403, "not-a-maintainer", ExitCodes.NoPermission)]
    [InlineData(403, "quota-exceeded", ExitCodes.NoPermission)]
    [InlineData(404, "job-not-found", ExitCodes.Refused)]
    [InlineData(409, "job-exists", ExitCodes.Refused)]
    [InlineData(503, "unavailable", ExitCodes.Unavailable)]
    public async Task ARefusal_ExitsWithItsCodeAndSaysWhy(int status, string errorCode, int expected)
    {
        _server.AnswerProblem("POST", Jobs, status, errorCode, "because " + errorCode);

        var result = await _cli.RunAsync("jobs", "run", "fetch", "--command", "x", "--tool", "mytool");

        Assert.Equal(expected, result.ExitCode);
        Assert.Equal(["toolgrid: error: because " + errorCode], result.ErrorLines);
    }

    [Fact]
    public async Task NoSocketAnywhere_SaysToolgriddDoesNotRunHere()
    {
        _cli.Variables.Remove("TOOLGRID_API");

        var result = await _cli.RunAsync("status");

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("toolgridd does not seem to run here", line, StringComparison.Ordinal);
        Assert.Contains("/run/toolgrid/api.sock", line, StringComparison.Ordinal);
        Assert.Contains("/tmp/toolgrid-1000/api.sock", line, StringComparison.Ordinal);
        Assert.Contains("--api", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSocketUnderTheRuntimeDirectory_IsFoundWithoutBeingNamed()
    {
        _cli.Variables.Remove("TOOLGRID_API");
        _cli.Variables["XDG_RUNTIME_DIR"] = _server.RuntimeDirectory!;
        _cli.ExistingPaths.Add(_server.Address.SocketPath!);
        _server.AnswerJson("GET", "/api/v1/status", Sample.Status(), CliJsonContext.Default.StatusView);

        var result = await _cli.RunAsync("status");

        Assert.Equal(0, result.ExitCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task AStaleSocketPath_IsUnavailable()
    {
        var result = await _cli.RunAsync("status", "--api", "unix:/tmp/tgcli-none/api.sock");

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Contains("/tmp/tgcli-none/api.sock", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_WithoutAToken_IsRefusedBeforeAnythingIsSent()
    {
        await using var tcp = await ApiTestServer.StartTcpAsync();

        var result = await _cli.RunAsync("whoami", "--api", tcp.Address.ToString());

        Assert.Equal(ExitCodes.NoPermission, result.ExitCode);
        Assert.Contains("TOOLGRID_TOKEN", result.Error, StringComparison.Ordinal);
        Assert.Empty(tcp.Requests);
    }

    [Fact]
    public async Task Http_WithAToken_SendsIt()
    {
        await using var tcp = await ApiTestServer.StartTcpAsync();
        tcp.AnswerJson("GET", "/api/v1/whoami", Sample.WhoAmI(), CliJsonContext.Default.WhoAmIView);
        _cli.Variables["TOOLGRID_TOKEN"] = "tg_abc";

        var result = await _cli.RunAsync("whoami", "--api", tcp.Address.ToString());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Bearer tg_abc", Assert.Single(tcp.Requests).Authorization);
        Assert.Contains("alice", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("succeeded", "exited", "exit code 0", 0, null, 0, "job fetch: succeeded")]
    [InlineData("failed", "exited", "exit code 3", 3, null, 3, "job fetch: failed: exit code 3")]
    [InlineData("failed", "out-of-memory", "went over its memory limit of 64Mi and was killed", null, 9, WaitExitCode.OutOfMemory, "job fetch: failed (out-of-memory): went over its memory limit of 64Mi and was killed")]
    [InlineData("killed", "stopped", "killed by signal 15 (SIGTERM)", null, 15, WaitExitCode.Killed, "job fetch: killed (stopped): killed by signal 15 (SIGTERM)")]
    public async Task RunWait_ExitsWithTheRunsOutcome(string state, string reason, string message, int? exitCode, int? signal, int expectedCode, string expectedLine)
    {
        _server.AnswerJson("POST", Jobs, Sample.Job(), CliJsonContext.Default.JobView, status: 201);
        _server.AnswerJson("GET", Jobs + "/fetch", Sample.Finished(state, reason, message, exitCode, signal), CliJsonContext.Default.JobView);

        var result = await _cli.RunAsync("jobs", "run", "fetch", "--command", "./fetch.sh", "--wait", "--tool", "mytool");

        Assert.Equal(expectedCode, result.ExitCode);
        Assert.Equal(expectedLine, result.ErrorLines[^1]);
        Assert.Equal("?wait=true&timeout=60", _server.Requests[1].Query);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task RunWait_KeepsPollingUntilFinished()
    {
        _server.AnswerJson("POST", Jobs, Sample.Job(), CliJsonContext.Default.JobView, status: 201);
        _server.AnswerJson("GET", Jobs + "/fetch", Sample.Job(status: "running", runs: Sample.Run("running", "started", node: "node1")), CliJsonContext.Default.JobView);
        _server.AnswerJson("GET", Jobs + "/fetch", Sample.Finished("succeeded", "exited", "exit code 0", 0), CliJsonContext.Default.JobView);

        var running = _cli.RunAsync("jobs", "run", "fetch", "--command", "./fetch.sh", "--wait", "--tool", "mytool");
        await Eventually.AdvanceUntilDoneAsync(_cli.Time, running);
        var result = await running;

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task RunWait_CtrlC_StopsWaitingAndSaysTheJobGoesOn()
    {
        _server.AnswerJson("POST", Jobs, Sample.Job(), CliJsonContext.Default.JobView, status: 201);
        _server.Handle("GET", Jobs + "/fetch", context => Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, context.RequestAborted));
        using var ctrlC = new CancellationTokenSource();

        var running = _cli.RunAsync(ctrlC.Token, "jobs", "run", "fetch", "--command", "./fetch.sh", "--wait", "--tool", "mytool");
        await Eventually.TrueAsync(() => _server.Requests.Count == 2, "the first poll");
        await ctrlC.CancelAsync();
        var result = await running;

        Assert.Equal(WaitExitCode.WaitInterrupted, result.ExitCode);
        Assert.Contains("stopped waiting; job fetch goes on", result.ErrorLines[^1], StringComparison.Ordinal);
        Assert.Contains("toolgrid jobs logs fetch --tool mytool -f", result.ErrorLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunWait_ConnectionLost_StopsWaitingAndSaysTheJobGoesOn()
    {
        _server.AnswerJson("POST", Jobs, Sample.Job(), CliJsonContext.Default.JobView, status: 201);
        _server.Handle("GET", Jobs + "/fetch", context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });

        var result = await _cli.RunAsync("jobs", "run", "fetch", "--command", "./fetch.sh", "--wait", "--tool", "mytool");

        Assert.Equal(WaitExitCode.WaitInterrupted, result.ExitCode);
        Assert.Contains("lost the connection to the API; job fetch goes on", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunWithoutWait_SaysHowToFollowTheJob()
    {
        _server.AnswerJson("POST", Jobs, Sample.Job(), CliJsonContext.Default.JobView, status: 201);

        var result = await _cli.RunAsync("jobs", "run", "fetch", "--command", "./fetch.sh", "--tool", "mytool");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("job fetch created in tool mytool", result.Out, StringComparison.Ordinal);
        Assert.Contains("toolgrid jobs logs fetch --tool mytool -f", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsFollow_StreamsUntilCtrlC()
    {
        _server.Handle("GET", Jobs + "/bot/logs", async context =>
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("==> bot.out <==\nhello\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, context.RequestAborted);
        });
        using var ctrlC = new CancellationTokenSource();

        var running = _cli.RunAsync(ctrlC.Token, "jobs", "logs", "bot", "-f", "--tool", "mytool");
        await Eventually.TrueAsync(() => _cli.OutSoFar.Contains("hello\n", StringComparison.Ordinal), "the streamed line on standard output");
        await ctrlC.CancelAsync();
        var result = await running;

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("==> bot.out <==\nhello\n", result.Out);
        Assert.Equal("?follow=true", _server.Requests[0].Query);
    }

    [Fact]
    public async Task TokensCreate_PrintsOnlyTheSecretOnStandardOutput_AndTheApisOwnAddressBeside()
    {
        _server.AnswerJson("POST", "/api/v1/tokens", Sample.Token("tg_s3cr3t"), CliJsonContext.Default.TokenView, status: 201);
        _server.AnswerJson("GET", "/api/v1/whoami", Sample.WhoAmI(), CliJsonContext.Default.WhoAmIView);

        var result = await _cli.RunAsync("tokens", "create", "--name", "laptop");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("tg_s3cr3t\n", result.Out);
        Assert.Contains("token 3 (laptop) made for alice, scope jobs; it expires 2025-07-01", result.Error, StringComparison.Ordinal);
        Assert.Contains("export TOOLGRID_TOKEN='tg_s3cr3t'", result.Error, StringComparison.Ordinal);
        Assert.Contains("toolgrid --api http://login.example:8471 whoami", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("8470", result.Error, StringComparison.Ordinal);
        Assert.Contains("only time", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokensCreate_WhenTheApiListensOnNoTcpAddress_SaysSoInsteadOfAnAddress()
    {
        _server.AnswerJson("POST", "/api/v1/tokens", Sample.Token("tg_s3cr3t"), CliJsonContext.Default.TokenView, status: 201);
        _server.AnswerJson("GET", "/api/v1/whoami", Sample.WhoAmI() with { ApiUrls = [] }, CliJsonContext.Default.WhoAmIView);

        var result = await _cli.RunAsync("tokens", "create");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("--api", result.Error, StringComparison.Ordinal);
        Assert.Contains("listens on no TCP address", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokensRevoke_SaysWhichTokensMadeWithItWentToo()
    {
        _server.AnswerJson("DELETE", "/api/v1/tokens/3", [Sample.Token(), Sample.Token() with { Id = 7 }, Sample.Token() with { Id = 9 }], CliJsonContext.Default.IReadOnlyListTokenView);

        var result = await _cli.RunAsync("tokens", "revoke", "3");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("token 3 revoked, and the 2 made with it: 7, 9.\n", result.Out);
    }

    [Fact]
    public async Task TokensList_ShowsScopeLastUseAndMaker()
    {
        _server.AnswerJson("GET", "/api/v1/tokens", [Sample.Token() with { LastUsedAt = Sample.Now.AddMinutes(-5) }], CliJsonContext.Default.IReadOnlyListTokenView);

        var result = await _cli.RunAsync("tokens", "list");

        Assert.Equal(0, result.ExitCode);
        foreach (var text in new[] { "SCOPE", "LAST USED", "MADE BY", "jobs", "socket uid 1000 as alice", "5 min ago" })
        {
            Assert.Contains(text, result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EachCreatingRequestOfAnInvocation_HasAKeyOfItsOwn_AndAnotherInvocationOthers()
    {
        ScriptEverything();

        await _cli.RunAsync("jobs", "run", "fetch", "--command", "./fetch.sh", "--tool", "mytool");
        await _cli.RunAsync("jobs", "run", "fetch", "--command", "./fetch.sh", "--tool", "mytool");

        var keys = _server.Requests.Select(r => r.IdempotencyKey).ToList();
        Assert.Equal(2, keys.Distinct().Count());
        Assert.All(keys, k => Assert.Matches("^[0-9a-f]{32}-1$", k));
    }

    [Fact]
    public async Task ToolsDelete_OffATerminalWithoutYes_RefusesAndSendsNothing()
    {
        var result = await _cli.RunAsync("tools", "delete", "mytool");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--yes", result.Error, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("y\n", true)]
    [InlineData("yes\n", true)]
    [InlineData("n\n", false)]
    [InlineData("\n", false)]
    [InlineData("", false)]
    public async Task ToolsDelete_OnATerminal_Asks(string answer, bool deleted)
    {
        _cli.Terminal = true;
        _cli.Input = answer;
        _server.AnswerJson("DELETE", "/api/v1/tools/mytool", Sample.Tool() with { Disabled = true, DisabledAt = Sample.Now }, CliJsonContext.Default.ToolView);

        var result = await _cli.RunAsync("tools", "delete", "mytool");

        Assert.Contains("Delete tool mytool?", result.Error, StringComparison.Ordinal);
        Assert.Equal(deleted ? 0 : ExitCodes.Refused, result.ExitCode);
        Assert.Equal(deleted ? 1 : 0, _server.Requests.Count);
        if (deleted)
        {
            Assert.Contains("files in /data/project/mytool are kept", result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Status_SingleUser_SaysToolsAreNotIsolated()
    {
        _server.AnswerJson("GET", "/api/v1/status", Sample.Status("single-user"), CliJsonContext.Default.StatusView);

        var result = await _cli.RunAsync("status");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("NO isolation between tools", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_SaysANodesCapacityIsTheHostsOvercommitted()
    {
        _server.Answer("GET", "/api/v1/status", 200, """
            {"version": "0.1.0", "mode": "multi-user", "modeDetail": "", "roles": ["api"], "backend": "local", "dataRoot": "/srv/toolgrid",
             "store": "sqlite", "tools": 1, "jobs": 0, "runs": {}, "warnings": [],
             "nodes": [{"name": "node1", "state": "up", "queues": ["default"], "memory": "47.1Gi", "cpu": "16", "slots": 64, "runs": 0,
                        "lastSeenAt": null, "hostMemory": "23.5Gi", "hostCpu": "2", "memoryOvercommit": 2, "cpuOvercommit": 8}]}
            """);

        var result = await _cli.RunAsync("status");

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(result.Out.Split('\n'), l => l.StartsWith("node1", StringComparison.Ordinal));
        Assert.Contains("47.1Gi = 23.5Gi × 2", line, StringComparison.Ordinal);
        Assert.Contains("16 = 2 cores × 8", line, StringComparison.Ordinal);
        Assert.Contains("what runs' limits may add up to", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsLoad_AFileWithSeveralProblems_ReportsThemAllAtOnce_TheApisToo()
    {
        _cli.Input = """
            - name: fetch
              command: ./fetch.sh
              mem: 1Ki
            - name: bot
              command: ./bot.py
              continuous: true
              memory: 1Gi
              cpu: lots
            """;
        _server.AnswerProblem(
            "POST",
            Jobs + "/apply",
            400,
            "validation",
            "2 problems",
            ("jobs[0].mem", "1Ki is less than the least a job may have, 16Mi."),
            ("jobs[1].cpu", "'lots' is not a CPU quantity."));

        var result = await _cli.RunAsync("jobs", "load", "-", "--tool", "mytool");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(
            """
            toolgrid: error: <stdin>:3: job 'fetch': mem: 1Ki is less than the least a job may have, 16Mi.
            toolgrid: error: <stdin>:7: job 'bot': memory: unknown key; did you mean 'mem'?
            toolgrid: error: <stdin>:8: job 'bot': cpu: 'lots' is not a CPU quantity.
            """,
            string.Join('\n', result.ErrorLines.Select(l => l.Split(" The keys are:")[0])));

        // The API was asked for a dry run only.
        var asked = Assert.Single(_server.Requests);
        Assert.Contains("\"dryRun\":true", asked.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsLoad_Wait_WaitsForTheOneOffJobAndExitsWithItsOutcome()
    {
        _cli.Input = """
            - name: fetch
              command: ./fetch.sh
              wait: 30
            """;
        _server.AnswerJson("POST", Jobs + "/apply", new JobsApplyResult(true, [new("fetch", "add", [])], []), CliJsonContext.Default.JobsApplyResult);
        _server.AnswerJson("GET", Jobs + "/fetch", Sample.Finished("failed", "exited", "exit code 3", exitCode: 3), CliJsonContext.Default.JobView);

        var result = await _cli.RunAsync("jobs", "load", "-", "--tool", "mytool");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("job fetch: waiting up to 30 s for it to finish", result.Error, StringComparison.Ordinal);
        Assert.Contains("?wait=true", _server.Requests[^1].Query, StringComparison.Ordinal);
    }

    private void ScriptEverything()
    {
        var context = CliJsonContext.Default;
        _server.AnswerJson("GET", "/api/v1/status", Sample.Status(), context.StatusView);
        _server.AnswerJson("GET", "/api/v1/whoami", Sample.WhoAmI("mytool"), context.WhoAmIView);
        _server.AnswerJson("POST", "/api/v1/tools", Sample.Tool("newtool"), context.ToolView, status: 201);
        _server.AnswerJson("GET", "/api/v1/tools", [Sample.Tool()], context.IReadOnlyListToolView);
        _server.AnswerJson("GET", "/api/v1/tools/mytool", Sample.Tool(), context.ToolView);
        _server.AnswerJson("DELETE", "/api/v1/tools/mytool", Sample.Tool() with { Disabled = true, DisabledAt = Sample.Now }, context.ToolView);
        _server.AnswerJson("PATCH", "/api/v1/tools/mytool/limits", new LimitsView("512Mi", "0.5", "8Gi", "1", 16), context.LimitsView);
        IReadOnlyList<MaintainerView> maintainers = [new MaintainerView("alice", Sample.Now, "alice"), new MaintainerView("bob", Sample.Now, "alice")];
        _server.AnswerJson("GET", "/api/v1/tools/mytool/maintainers", maintainers, context.IReadOnlyListMaintainerView);
        _server.AnswerJson("PUT", "/api/v1/tools/mytool/maintainers/bob", maintainers, context.IReadOnlyListMaintainerView);
        _server.AnswerJson("DELETE", "/api/v1/tools/mytool/maintainers/bob", maintainers.Take(1).ToArray(), context.IReadOnlyListMaintainerView);
        _server.AnswerJson("POST", "/api/v1/tokens", Sample.Token("tg_secret"), context.TokenView, status: 201);
        _server.AnswerJson("GET", "/api/v1/tokens", [Sample.Token()], context.IReadOnlyListTokenView);
        _server.AnswerJson("DELETE", "/api/v1/tokens/3", [Sample.Token()], context.IReadOnlyListTokenView);
        _server.AnswerJson("GET", "/api/v1/users/alice/limits", new UserLimitsView("alice", 25, false, 3), context.UserLimitsView);
        _server.AnswerJson("PATCH", "/api/v1/users/alice/limits", new UserLimitsView("alice", 50, true, 3), context.UserLimitsView);
        _server.AnswerJson("POST", Jobs, Sample.Job(), context.JobView, status: 201);
        _server.AnswerJson("GET", Jobs, [Sample.Job()], context.IReadOnlyListJobView);
        _server.AnswerJson("GET", Jobs + "/fetch", Sample.Job(), context.JobView);
        _server.Answer("GET", Jobs + "/fetch/logs", 200, "hello\n", "text/plain");
        _server.AnswerJson("DELETE", Jobs + "/fetch", Sample.Job() with { Deleting = true }, context.JobView, status: 202);
        _server.AnswerJson("DELETE", Jobs, [Sample.Job()], context.IReadOnlyListJobView, status: 202);
    }
}
