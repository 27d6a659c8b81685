using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Toolgrid.Core.Runs;
using Toolgrid.Proxy.Tests.Support;

namespace Toolgrid.Proxy.Tests.Routing;

/// <summary>The proxy over a real store and real backends: routing, redirects, forwarded headers, refreshes, WebSockets, streaming.</summary>
public sealed class ProxyRoutingTests
{
    [Fact]
    public async Task PathForm_ReachesTheToolsReplica_WithThePrefixTakenOffAndNamed()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var backend = await TestBackend.StartAsync("a");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", backend.Port);
        await proxy.WaitForAsync("/mytool/", ProxyHarness.FromReplica, TimeSpan.FromSeconds(5));

        using var response = await proxy.GetAsync("/mytool/some/page?x=1");
        var echo = await Echo.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/some/page", echo.Path);
        Assert.Equal("?x=1", echo.Query);
        Assert.Equal("/mytool", echo.Header("X-Forwarded-Prefix"));
    }

    [Fact]
    public async Task PathFormWithoutSlash_RedirectsToTheSlash()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.Store.AddToolAsync("mytool");
        await proxy.WaitForAsync("/", (_, body) => body.Contains("mytool", StringComparison.Ordinal), TimeSpan.FromSeconds(5));

        using var response = await proxy.GetAsync("/mytool?a=b");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/mytool/?a=b", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task HostForm_ReachesTheReplica_AndThePathFormRedirectsToIt()
    {
        await using var proxy = await ProxyHarness.StartAsync(o => o.Domain = "toolgrid.test");
        await using var backend = await TestBackend.StartAsync("a");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", backend.Port);
        await proxy.WaitForAsync("/", ProxyHarness.FromReplica, TimeSpan.FromSeconds(5), host: "mytool.toolgrid.test");

        using var direct = await proxy.GetAsync("/page?q=1", host: "mytool.toolgrid.test");
        var echo = await Echo.ReadAsync(direct);
        using var pathForm = await proxy.GetAsync("/mytool/page?q=1", host: "toolgrid.test");

        Assert.Equal("/page", echo.Path);
        Assert.Equal("mytool.toolgrid.test", echo.Header("Host"));
        Assert.Null(echo.Header("X-Forwarded-Prefix"));
        Assert.Equal(HttpStatusCode.MovedPermanently, pathForm.StatusCode);
        Assert.Equal("http://mytool.toolgrid.test/page?q=1", pathForm.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ForwardedHeaders_AreSetByTheProxy_AndWhatTheClientSentIsNotPassedOn()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var backend = await TestBackend.StartAsync("a");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", backend.Port);
        await proxy.WaitForAsync("/mytool/", ProxyHarness.FromReplica, TimeSpan.FromSeconds(5));

        using var response = await proxy.GetAsync("/mytool/", headers: new Dictionary<string, string>
        {
            ["X-Forwarded-For"] = "6.6.6.6",
            ["X-Forwarded-Proto"] = "https",
            ["X-Forwarded-Host"] = "evil.example",
            ["X-Forwarded-Prefix"] = "/evil",
            ["Forwarded"] = "for=6.6.6.6;proto=https",
            ["X-Real-IP"] = "6.6.6.6",
            ["X-Forwarded-Port"] = "443",
        });
        var echo = await Echo.ReadAsync(response);

        Assert.Equal("127.0.0.1", echo.Header("X-Forwarded-For"));
        Assert.Equal("http", echo.Header("X-Forwarded-Proto"));
        Assert.Equal($"127.0.0.1:{proxy.Port}", echo.Header("X-Forwarded-Host"));
        Assert.Equal("/mytool", echo.Header("X-Forwarded-Prefix"));
        Assert.Null(echo.Header("Forwarded"));
        Assert.Null(echo.Header("X-Real-IP"));
        Assert.Null(echo.Header("X-Forwarded-Port"));
    }

    [Fact]
    public async Task TrustedFrontProxy_ItsForwardedHeadersAreBelieved()
    {
        await using var proxy = await ProxyHarness.StartAsync(o => o.TrustedProxies.Add("127.0.0.1"));
        await using var backend = await TestBackend.StartAsync("a");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", backend.Port);
        await proxy.WaitForAsync("/mytool/", ProxyHarness.FromReplica, TimeSpan.FromSeconds(5));

        using var response = await proxy.GetAsync("/mytool/", headers: new Dictionary<string, string> { ["X-Forwarded-For"] = "203.0.113.9", ["X-Forwarded-Proto"] = "https" });
        var echo = await Echo.ReadAsync(response);

        Assert.Equal("203.0.113.9", echo.Header("X-Forwarded-For"));
        Assert.Equal("https", echo.Header("X-Forwarded-Proto"));
    }

    [Fact]
    public async Task Replicas_ShareTheLoad()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", a.Port, b.Port);
        await proxy.WaitForAsync("/mytool/", ProxyHarness.FromReplica, TimeSpan.FromSeconds(5));

        using var client = proxy.Client();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var i = 0; i < 25; i++)
            {
                using var response = await client.GetAsync("/mytool/");
                response.EnsureSuccessStatusCode();
            }
        }));

        Assert.True(a.Requests > 20 && b.Requests > 20, $"a answered {a.Requests}, b {b.Requests}");
    }

    [Fact]
    public async Task RouteChanges_ReachTheProxyWithinOneSecond()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await proxy.Store.AddToolAsync("mytool");
        var job = await proxy.Store.AddWebserviceAsync("mytool", a.Port);
        await proxy.WaitForAsync("/mytool/", (s, _) => s == HttpStatusCode.OK, TimeSpan.FromSeconds(5));

        // A new replica, and the old one stopping: only the new one may get traffic from then on.
        await proxy.Store.UpdateRunsAsync("mytool", r => r.StopRequestedAt = TimeProvider.System.GetUtcNow());
        await proxy.Store.AddRunAsync(job, b.Port);
        var took = await proxy.WaitForAsync("/mytool/", (s, body) => s == HttpStatusCode.OK && body.Contains("\"backend\":\"b\"", StringComparison.Ordinal), TimeSpan.FromSeconds(1));
        var before = a.Requests;
        for (var i = 0; i < 20; i++)
        {
            var (status, body) = await proxy.GetTextAsync("/mytool/");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("\"backend\":\"b\"", body, StringComparison.Ordinal);
        }

        Assert.Equal(before, a.Requests);
        Assert.True(took < TimeSpan.FromSeconds(1), $"took {took}");
    }

    [Fact]
    public async Task ReplicaNotYetReady_GetsNoTraffic_AndThePageSaysWhy()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var backend = await TestBackend.StartAsync("a");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", backend.Port);
        await proxy.Store.UpdateRunsAsync("mytool", r =>
        {
            r.ReadyAt = null;
            r.Healthy = null;
        });

        await proxy.State.RefreshAsync(CancellationToken.None);
        var (status, body) = await proxy.GetTextAsync("/mytool/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("waits for its health check", body, StringComparison.Ordinal);
        Assert.Equal(0, backend.Requests);
    }

    [Fact]
    public async Task StoreUnreadable_TheLastKnownRoutesKeepServing()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var backend = await TestBackend.StartAsync("a");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", backend.Port);
        await proxy.WaitForAsync("/mytool/", ProxyHarness.FromReplica, TimeSpan.FromSeconds(5));

        proxy.Store.Break();
        try
        {
            await proxy.WaitForAsync("/?format=json", (_, body) => body.Contains("\"stale\": true", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            var (status, body) = await proxy.GetTextAsync("/mytool/");
            var (page, html) = await proxy.GetTextAsync("/");

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("\"backend\":\"a\"", body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, page);
            Assert.Contains("cannot be read right now", html, StringComparison.Ordinal);
        }
        finally
        {
            proxy.Store.Restore();
        }

        await proxy.WaitForAsync("/?format=json", (_, body) => body.Contains("\"stale\": false", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ReplicaKilledUnderLoad_NoRequestFails()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var a = await PythonBackend.StartAsync("a");
        await using var b = await PythonBackend.StartAsync("b");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", a.Port, b.Port);
        await proxy.WaitForAsync("/mytool/", ProxyHarness.FromReplica, TimeSpan.FromSeconds(5));

        using var client = proxy.Client();
        var failures = new List<string>();
        var answers = new Dictionary<string, int>(StringComparer.Ordinal);
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(4);
        var killAt = TimeProvider.System.GetUtcNow().AddSeconds(1.5);
        var killed = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            while (TimeProvider.System.GetUtcNow() < deadline)
            {
                if (TimeProvider.System.GetUtcNow() >= killAt && Interlocked.Exchange(ref killed, 1) == 0)
                {
                    a.Kill();
                }

                try
                {
                    using var response = await client.GetAsync("/mytool/");
                    var body = await response.Content.ReadAsStringAsync();
                    lock (answers)
                    {
                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            failures.Add($"{(int)response.StatusCode}: {body[..Math.Min(100, body.Length)]}");
                        }
                        else
                        {
                            answers[body.Trim()] = answers.GetValueOrDefault(body.Trim()) + 1;
                        }
                    }
                }
                catch (HttpRequestException e)
                {
                    lock (answers)
                    {
                        failures.Add(e.Message);
                    }
                }
            }
        }));

        Assert.Empty(failures);
        Assert.True(answers.GetValueOrDefault("ok from a") > 0 && answers.GetValueOrDefault("ok from b") > 100, string.Join(", ", answers.Select(p => $"{p.Key}: {p.Value}")));
    }

    [Fact]
    public async Task WebSocket_EchoesThroughTheProxy()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var backend = await TestBackend.StartAsync("a");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", backend.Port);
        await proxy.WaitForAsync("/mytool/", ProxyHarness.FromReplica, TimeSpan.FromSeconds(5));

        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{proxy.Port}/mytool/ws"), timeout.Token);
        var replies = new List<string>();
        foreach (var message in new[] { "hello", "again" })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            var buffer = new byte[1024];
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            replies.Add(Encoding.UTF8.GetString(buffer, 0, received.Count));
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);

        Assert.Equal(["a echoes: hello", "a echoes: again"], replies);
    }

    [Fact]
    public async Task StreamingAnswer_ReachesTheClientPieceByPiece()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var backend = await TestBackend.StartAsync("a");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", backend.Port);
        await proxy.WaitForAsync("/mytool/", ProxyHarness.FromReplica, TimeSpan.FromSeconds(5));

        using var client = proxy.Client();
        using var response = await client.GetAsync("/mytool/stream", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        var first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        backend.ReleaseStream();
        var second = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("first", first);
        Assert.Equal("second", second);
    }

    [Fact]
    public async Task RequestBody_OverTheCap_IsRefused()
    {
        await using var proxy = await ProxyHarness.StartAsync(o => o.MaxRequestBodyBytes = 1024 * 1024);
        await using var backend = await TestBackend.StartAsync("a");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", backend.Port);
        await proxy.WaitForAsync("/mytool/", ProxyHarness.FromReplica, TimeSpan.FromSeconds(5));

        using var client = proxy.Client();
        using var small = await client.PostAsync("/mytool/upload", new ByteArrayContent(new byte[512 * 1024]));
        using var large = await client.PostAsync("/mytool/upload", new ByteArrayContent(new byte[2 * 1024 * 1024]));

        Assert.Equal(512 * 1024, (await Echo.ReadAsync(small)).BodyLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
    }

    [Fact]
    public async Task AllReplicasDown_503PageSaysSo()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.Store.AddToolAsync("mytool");
        var dead = PythonBackend.FreePort();
        await proxy.Store.AddWebserviceAsync("mytool", dead);
        await proxy.State.RefreshAsync(CancellationToken.None);

        var (first, body) = await proxy.GetTextAsync("/mytool/");
        var (later, _) = await proxy.GetTextAsync("/mytool/");

        Assert.Equal(HttpStatusCode.BadGateway, first);
        Assert.Contains("mytool did not answer", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, later);
    }

    [Fact]
    public async Task DeletedTool_IsGone_EvenWithRunsLeft()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var backend = await TestBackend.StartAsync("a");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", backend.Port);
        await proxy.WaitForAsync("/mytool/", ProxyHarness.FromReplica, TimeSpan.FromSeconds(5));

        await proxy.Store.ChangeAsync(async db => (await db.Tools.FindAsync("mytool"))!.DisabledAt = TimeProvider.System.GetUtcNow());

        await proxy.WaitForAsync("/mytool/", (s, body) => s == HttpStatusCode.NotFound && body.Contains("was deleted", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task StatusJson_ListsToolsWithTheirState()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var backend = await TestBackend.StartAsync("a");
        await proxy.Store.AddToolAsync("alpha", "The first tool", ["alice", "bob"]);
        await proxy.Store.AddToolAsync("beta");
        await proxy.Store.AddWebserviceAsync("alpha", backend.Port);
        await proxy.Store.AddWebserviceAsync("beta", PythonBackend.FreePort());
        await proxy.Store.UpdateRunsAsync("beta", r =>
        {
            r.State = RunState.Failed;
            r.Reason = RunReason.Exited;
            r.ExitCode = 3;
            r.FinishedAt = TimeProvider.System.GetUtcNow();
        });
        await proxy.Store.ChangeAsync(async db =>
        {
            var job = db.Jobs.Single(j => j.ToolName == "beta");
            job.RestartCount = 3;
            job.NextStartAt = TimeProvider.System.GetUtcNow().AddSeconds(40);
            await Task.CompletedTask;
        });
        await proxy.State.RefreshAsync(CancellationToken.None);

        using var response = await proxy.GetAsync("/", headers: new Dictionary<string, string> { ["Accept"] = "application/json" });
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var tools = json.RootElement.GetProperty("tools").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);

        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Equal(["alpha", "beta"], tools.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("The first tool", tools["alpha"].GetProperty("description").GetString());
        Assert.Equal(["alice", "bob"], tools["alpha"].GetProperty("maintainers").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("running", tools["alpha"].GetProperty("webservice").GetProperty("state").GetString());
        Assert.True(tools["alpha"].GetProperty("up").GetBoolean());
        Assert.Equal("crash-looping", tools["beta"].GetProperty("webservice").GetProperty("state").GetString());
        Assert.Contains("exit code 3", tools["beta"].GetProperty("webservice").GetProperty("status").GetString(), StringComparison.Ordinal);
        Assert.False(tools["beta"].GetProperty("up").GetBoolean());
        Assert.EndsWith("/alpha/", tools["alpha"].GetProperty("url").GetString(), StringComparison.Ordinal);
    }
}
