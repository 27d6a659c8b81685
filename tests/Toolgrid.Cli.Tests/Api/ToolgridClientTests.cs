using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Tests.Api;

public sealed class ToolgridClientTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartUnixAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task WhoAmI_OverTheUnixSocket_ReadsTheViewAndSendsNoToken()
    {
        _server.AnswerJson("GET", "/api/v1/whoami", Sample.WhoAmI("mytool", "mytool", "other"), CliJsonContext.Default.WhoAmIView);
        using var client = ToolgridClient.Create(_server.Address, token: "tg_secret");

        var me = await client.WhoAmIAsync();

        Assert.Equal("alice", me.User);
        Assert.Equal("mytool", me.Tool);
        Assert.Equal(["mytool", "other"], me.Maintains);
        var request = Assert.Single(_server.Requests);
        Assert.Null(request.Authorization);
    }

    [Fact]
    public async Task Http_SendsTheTokenAsABearer()
    {
        await using var tcp = await ApiTestServer.StartTcpAsync();
        tcp.AnswerJson("GET", "/api/v1/whoami", Sample.WhoAmI(), CliJsonContext.Default.WhoAmIView);
        using var client = ToolgridClient.Create(tcp.Address, token: "tg_secret");

        await client.WhoAmIAsync();

        Assert.Equal("Bearer tg_secret", Assert.Single(tcp.Requests).Authorization);
    }

    [Fact]
    public async Task GetJob_ReadsTheApisJsonAsDocumented()
    {
        // Written by hand in the API's spelling (docs/api.md), not by the CLI's own serializer.
        _server.Answer("GET", "/api/v1/tools/mytool/jobs/fetch", 200, """
            {
              "tool": "mytool", "name": "fetch", "kind": "one-off", "command": "./fetch.sh",
              "mem": "64Mi", "cpu": "0.5", "retry": 0, "queue": "default", "emails": "none",
              "filelogStdout": "fetch.out", "filelogStderr": null, "gracePeriod": 15,
              "createdAt": "2025-06-01T11:55:00Z", "createdBy": "alice", "deleting": false,
              "finished": true, "status": "failed", "someFutureField": 1,
              "runs": [ {
                "id": 12, "attempt": 1, "state": "failed", "reason": "out-of-memory",
                "message": "went over its memory limit of 64Mi and was killed",
                "exitCode": null, "signal": 9, "node": "node1", "pid": 4242,
                "submittedAt": "2025-06-01T11:55:00Z", "startedAt": "2025-06-01T11:55:01Z",
                "finishedAt": "2025-06-01T11:56:00Z", "mem": "64Mi", "cpu": "0.5" } ]
            }
            """);
        using var client = ToolgridClient.Create(_server.Address);

        var job = await client.GetJobAsync("mytool", "fetch");

        Assert.True(job.Finished);
        Assert.Null(job.FilelogStderr);
        var run = Assert.Single(job.Runs);
        Assert.Equal(("failed", "out-of-memory", 9), (run.State, run.Reason, run.Signal));
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 11, 56, 0, TimeSpan.Zero), run.FinishedAt);
    }

    [Fact]
    public async Task RunJob_PostsCamelCaseJsonWithOnlyWhatWasGiven()
    {
        _server.AnswerJson("POST", "/api/v1/tools/mytool/jobs", Sample.Job(), CliJsonContext.Default.JobView, status: 201);
        using var client = ToolgridClient.Create(_server.Address);

        await client.RunJobAsync("mytool", new JobRunRequest { Name = "fetch", Command = "./fetch.sh", Mem = "1Gi", Filelog = false, GracePeriod = 30 });

        var request = Assert.Single(_server.Requests);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(
            ["command", "filelog", "gracePeriod", "mem", "name"],
            body.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.False(body.RootElement.GetProperty("filelog").GetBoolean());
    }

    [Fact]
    public async Task AProblem_BecomesAnExceptionCarryingEachFieldError()
    {
        _server.AnswerProblem(
            "POST",
            "/api/v1/tools/mytool/jobs",
            400,
            "validation",
            "2 problems",
            ("mem", "8Gi is more than this tool's ceiling of 4Gi per job"),
            ("filelogStdout", "'../x' leads outside the tool's home"));
        using var client = ToolgridClient.Create(_server.Address);

        var e = await Assert.ThrowsAsync<ToolgridApiException>(() => client.RunJobAsync("mytool", new JobRunRequest { Name = "fetch" }));

        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("validation", e.ErrorCode);
        Assert.Equal(["mem", "filelogStdout"], e.Errors.Select(p => p.Field));
        Assert.Contains("ceiling of 4Gi", e.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnErrorThatIsNotAProblem_StillBecomesAnExceptionWithTheStatus()
    {
        _server.Answer("GET", "/api/v1/status", 502, "<html>Bad Gateway</html>", "text/html");
        using var client = ToolgridClient.Create(_server.Address);

        var e = await Assert.ThrowsAsync<ToolgridApiException>(() => client.GetStatusAsync());

        Assert.Equal(HttpStatusCode.BadGateway, e.StatusCode);
        Assert.Equal("http-502", e.ErrorCode);
        Assert.Contains("502", e.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_AreEscapedInPaths()
    {
        _server.AnswerJson("PUT", "/api/v1/tools/mytool/maintainers/bob.smith", [], CliJsonContext.Default.IReadOnlyListMaintainerView);
        using var client = ToolgridClient.Create(_server.Address);

        await client.AddMaintainerAsync("mytool", "bob.smith");
        await Assert.ThrowsAsync<ToolgridApiException>(() => client.GetToolAsync("a/b"));

        Assert.Equal("/api/v1/tools/a%2Fb", _server.Requests[1].Path);
    }

    [Fact]
    public async Task AMissingSocket_IsUnreachableAndSaysWhere()
    {
        var address = ApiAddress.UnixSocket("/tmp/tgcli-missing-" + Guid.NewGuid().ToString("N")[..8] + "/api.sock");
        using var client = ToolgridClient.Create(address);

        var e = await Assert.ThrowsAsync<ApiUnreachableException>(() => client.WhoAmIAsync());

        Assert.Contains(address.SocketPath!, e.Message, StringComparison.Ordinal);
        Assert.Contains("does not seem to run", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASocketNobodyListensOn_IsUnreachable()
    {
        var directory = Directory.CreateTempSubdirectory("tgcli-");
        try
        {
            // Bound but not listening: the file is there, as after toolgridd hung or crashed.
            var path = Path.Combine(directory.FullName, "api.sock");
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(path));
            using var client = ToolgridClient.Create(ApiAddress.UnixSocket(path));

            var e = await Assert.ThrowsAsync<ApiUnreachableException>(() => client.WhoAmIAsync());

            Assert.Contains("does not answer", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task WaitUntilFinished_LongPollsUntilTheJobIsFinished()
    {
        // The stand-in holds the first poll a little, as the API would.
        _server.Handle("GET", "/api/v1/tools/mytool/jobs/fetch", async context =>
        {
            await WriteJsonAsync(context, Sample.Job(status: "running", runs: Sample.Run("running", "started", node: "node1")));
        });
        _server.AnswerJson("GET", "/api/v1/tools/mytool/jobs/fetch", Sample.Finished("succeeded", "exited", "exit code 0", 0), CliJsonContext.Default.JobView);
        var time = new FakeTimeProvider(Sample.Now);
        using var client = ToolgridClient.Create(_server.Address, timeProvider: time);

        var waiting = client.WaitUntilFinishedAsync("mytool", "fetch");
        await Eventually.AdvanceUntilDoneAsync(time, waiting);
        var job = await waiting;

        Assert.True(job.Finished);
        Assert.Equal(2, _server.Requests.Count);
        Assert.All(_server.Requests, r => Assert.Equal("?wait=true&timeout=60", r.Query));
    }

    [Fact]
    public async Task CopyLogs_StreamsWhatArrivesUntilCancelled()
    {
        var released = new TaskCompletionSource();
        _server.Handle("GET", "/api/v1/tools/mytool/jobs/bot/logs", async context =>
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("line one\n");
            await context.Response.Body.FlushAsync();
            await released.Task.WaitAsync(context.RequestAborted);
        });
        using var client = ToolgridClient.Create(_server.Address);
        using var output = new CapturedText();
        using var stop = new CancellationTokenSource();

        var copying = client.CopyLogsAsync("mytool", "bot", new LogQuery("stdout", 10, Follow: true), output, stop.Token);
        await Eventually.TrueAsync(() => output.ToString().Contains("line one", StringComparison.Ordinal), "the first line");
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => copying);
        Assert.Equal("line one\n", output.ToString());
        Assert.Equal("?stream=stdout&lines=10&follow=true", Assert.Single(_server.Requests).Query);
        released.TrySetResult();
    }

    [Fact]
    public async Task AnApiThatDoesNotAnswerInTime_IsUnreachable()
    {
        _server.Handle("GET", "/api/v1/status", context => Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, context.RequestAborted));
        var time = new FakeTimeProvider(Sample.Now);
        using var client = ToolgridClient.Create(_server.Address, timeProvider: time);

        var asking = client.GetStatusAsync();
        await Eventually.TrueAsync(() => _server.Requests.Count == 1, "the request");
        time.Advance(client.RequestTimeout);

        var e = await Assert.ThrowsAsync<ApiUnreachableException>(() => asking);
        Assert.Contains("did not answer within 100 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnswerThatIsNotJson_AsksWhetherThisIsToolgridd()
    {
        _server.Answer("GET", "/api/v1/status", 200, "<html>welcome to nginx</html>", "text/html");
        using var client = ToolgridClient.Create(_server.Address);

        var e = await Assert.ThrowsAsync<ToolgridApiException>(() => client.GetStatusAsync());

        Assert.Contains("really toolgridd", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeToken_ReturnsTheRevokedTokens()
    {
        _server.AnswerJson("DELETE", "/api/v1/tokens/3", [Sample.Token()], CliJsonContext.Default.IReadOnlyListTokenView);
        using var client = ToolgridClient.Create(_server.Address);

        var revoked = await client.RevokeTokenAsync(3);

        Assert.Equal([3L], revoked.Select(t => t.Id));
    }

    [Fact]
    public async Task CreatingRequest_WhoseConnectionIsLostBeforeTheAnswer_IsSentAgainWithTheSameKey()
    {
        _server.Handle("POST", "/api/v1/tools/mytool/jobs", context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        _server.AnswerJson("POST", "/api/v1/tools/mytool/jobs", Sample.Job(), CliJsonContext.Default.JobView, status: 201);
        using var client = Retrying();

        var job = await client.RunJobAsync("mytool", new JobRunRequest { Name = "fetch", Command = "./fetch.sh" });

        Assert.Equal("fetch", job.Name);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(["k-1", "k-1"], _server.Requests.Select(r => r.IdempotencyKey));
        Assert.Equal(_server.Requests[0].Body, _server.Requests[1].Body);
    }

    [Fact]
    public async Task CreatingRequest_RefusedConnections_AreTriedFourTimesInAllThenUnreachable()
    {
        var path = Path.Combine(_server.RuntimeDirectory!, "nobody-listens.sock");
        using (var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
        }

        var attempts = 0;
        using var client = ToolgridClient.Create(ApiAddress.UnixSocket(path));
        client.RetryDelays = [TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero];
        client.IdempotencyKeys = () => "k-" + Interlocked.Increment(ref attempts).ToString(System.Globalization.CultureInfo.InvariantCulture);

        await Assert.ThrowsAsync<ApiUnreachableException>(() => client.CreateToolAsync(new ToolCreateRequest { Name = "t" }));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task CreatingRequest_WhileTheFirstTryIsStillBeingAnswered_AsksAgain()
    {
        _server.AnswerProblem("POST", "/api/v1/tools", 409, "idempotency-key-in-progress", "still being answered");
        _server.AnswerJson("POST", "/api/v1/tools", Sample.Tool("newtool"), CliJsonContext.Default.ToolView, status: 201);
        using var client = Retrying();

        var tool = await client.CreateToolAsync(new ToolCreateRequest { Name = "newtool" });

        Assert.Equal("newtool", tool.Name);
        Assert.Equal(["k-1", "k-1"], _server.Requests.Select(r => r.IdempotencyKey));
    }

    [Fact]
    public async Task CreatingRequest_AfterTheLastTry_IsUnreachable()
    {
        _server.Handle("POST", "/api/v1/tools", context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        using var client = Retrying();

        await Assert.ThrowsAsync<ApiUnreachableException>(() => client.CreateToolAsync(new ToolCreateRequest { Name = "t" }));

        Assert.Equal(4, _server.Requests.Count);
    }

    [Fact]
    public async Task CreatingRequest_WithoutKeys_IsNeverSentTwice()
    {
        _server.Handle("POST", "/api/v1/tools", context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        using var client = ToolgridClient.Create(_server.Address);

        await Assert.ThrowsAsync<ApiUnreachableException>(() => client.CreateToolAsync(new ToolCreateRequest { Name = "t" }));

        var request = Assert.Single(_server.Requests);
        Assert.Null(request.IdempotencyKey);
    }

    [Fact]
    public async Task Refusals_AreNotSentAgain_AndReadsCarryNoKey()
    {
        _server.AnswerProblem("POST", "/api/v1/tools", 409, "tool-exists", "taken");
        _server.AnswerJson("GET", "/api/v1/tools", [Sample.Tool()], CliJsonContext.Default.IReadOnlyListToolView);
        using var client = Retrying();

        await Assert.ThrowsAsync<ToolgridApiException>(() => client.CreateToolAsync(new ToolCreateRequest { Name = "t" }));
        await client.ListToolsAsync();

        Assert.Equal(["POST", "GET"], _server.Requests.Select(r => r.Method));
        Assert.Equal(["k-1", null], _server.Requests.Select(r => r.IdempotencyKey));
    }

    /// <summary>A client that sends keys k-1, k-2… and tries again at once.</summary>
    private ToolgridClient Retrying()
    {
        var count = 0;
        var client = ToolgridClient.Create(_server.Address);
        client.RetryDelays = [TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero];
        client.IdempotencyKeys = () => "k-" + Interlocked.Increment(ref count).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return client;
    }

    private static Task WriteJsonAsync(HttpContext context, JobView job)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(job, CliJsonContext.Default.JobView));
    }
}
