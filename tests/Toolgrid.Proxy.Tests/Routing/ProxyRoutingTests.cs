using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Toolgrid.Contracts.Runs;
using Toolgrid.Proxy.Tests.Support;

namespace Toolgrid.Proxy.Tests.Routing;

/// <summary>The proxy over a real store and real backends: routing, redirects, forwarded headers, refreshes, WebSockets, streaming.</summary>
[Collection(UnderLoad.Name)]
public sealed class ProxyRoutingTests
{
    [Fact]
    public async Task PathForm_ReachesTheToolsReplica_WithThePrefixTakenOffAndNamed()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var backend = await TestBackend.StartAsync("a");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", backend.Port);
        await proxy.WaitForReplicaAsync("/mytool/");

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
        await proxy.WaitForAsync("/", (_, body) => body.Contains("mytool", StringComparison.Ordinal));

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
        await proxy.WaitForReplicaAsync("/", host: "mytool.toolgrid.test");

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
        await proxy.WaitForReplicaAsync("/mytool/");

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
        await proxy.WaitForReplicaAsync("/mytool/");

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
        await proxy.WaitForReplicaAsync("/mytool/");

        // Eight clients at once until each replica has answered its share; a replica that is
        // starved leaves the other with the whole cap.
        const int Share = 20;
        const int Cap = 2000;
        using var client = proxy.Client();
        var sent = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while ((a.Requests <= Share || b.Requests <= Share) && Interlocked.Increment(ref sent) <= Cap)
            {
                using var response = await client.GetAsync("/mytool/");
                response.EnsureSuccessStatusCode();
            }
        }));

        Assert.True(a.Requests > Share && b.Requests > Share, $"a answered {a.Requests}, b {b.Requests}");
    }

    /// <summary>
    /// A route change reaches the proxy with its next read of the store, here one the test
    /// triggers; the periodic read is an hour away, so nothing else brings it (other than a
    /// refresh on a signal of the store, which the test allows). How soon the periodic read
    /// brings a change is the benchmark's figure (bench/proxy/run.sh), not this test's.
    /// </summary>
    [Fact]
    public async Task RouteChanges_ReachTheProxyWithItsNextRead_AndTheStoppingReplicaGetsNoMoreTraffic()
    {
        await using var proxy = await ProxyHarness.StartAsync(o => o.RefreshInterval = TimeSpan.FromHours(1));
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await proxy.Store.AddToolAsync("mytool");
        var job = await proxy.Store.AddWebserviceAsync("mytool", a.Port);
        await proxy.State.RefreshAsync(CancellationToken.None);
        await proxy.WaitForReplicaAsync("/mytool/", "a");

        // A new replica, and the old one stopping: only the new one may get traffic from then on.
        await proxy.Store.UpdateRunsAsync("mytool", r => r.StopRequestedAt = TimeProvider.System.GetUtcNow());
        await proxy.Store.AddRunAsync(job, b.Port);
        await proxy.State.RefreshAsync(CancellationToken.None);
        await proxy.WaitForReplicaAsync("/mytool/", "b");
        var before = a.Requests;
        for (var i = 0; i < 20; i++)
        {
            var (status, body) = await proxy.GetTextAsync("/mytool/");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("\"backend\":\"b\"", body, StringComparison.Ordinal);
        }

        Assert.Equal(before, a.Requests);
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
        await proxy.WaitForReplicaAsync("/mytool/");

        proxy.Store.Break();
        try
        {
            await proxy.WaitForAsync("/?format=json", (_, body) => body.Contains("\"stale\": true", StringComparison.Ordinal));
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

        await proxy.WaitForAsync("/?format=json", (_, body) => body.Contains("\"stale\": false", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReplicaKilledUnderLoad_NoRequestFails()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var a = await PythonBackend.StartAsync("a");
        await using var b = await PythonBackend.StartAsync("b");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", a.Port, b.Port);
        await proxy.WaitForReplicaAsync("/mytool/");

        // Sixteen clients keep asking until told to stop. The kill comes once both replicas have
        // answered (the load is on both), and the load goes on until b alone has answered 100
        // more: whatever was sent to a when it died, and after, had to be answered too.
        using var client = proxy.Client();
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var answers = new Dictionary<string, int>(StringComparer.Ordinal);
        int Answered(string name)
        {
            lock (answers)
            {
                return answers.GetValueOrDefault("ok from " + name);
            }
        }

        var load = Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
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

        try
        {
            await WaitUntilAsync(() => Answered("a") > 0 && Answered("b") > 0, "both replicas to answer under load");
            a.Kill();
            var bAtTheKill = Answered("b");
            await WaitUntilAsync(() => Answered("b") >= bAtTheKill + 100, "b to answer 100 more after a was killed");
        }
        finally
        {
            await stop.CancelAsync();
            await load;
        }

        lock (answers)
        {
            Assert.Empty(failures);
        }
    }

    [Fact]
    public async Task WebSocket_EchoesThroughTheProxy()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var backend = await TestBackend.StartAsync("a");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", backend.Port);
        await proxy.WaitForReplicaAsync("/mytool/");

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
        await proxy.WaitForReplicaAsync("/mytool/");

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
        await proxy.WaitForReplicaAsync("/mytool/");

        using var client = proxy.Client();
        using var small = await client.PostAsync("/mytool/upload", new ByteArrayContent(new byte[512 * 1024]));
        var refused = await PostOverTheCapAsync(client, 2 * 1024 * 1024);

        Assert.Equal(512 * 1024, (await Echo.ReadAsync(small)).BodyLength);
        Assert.True(refused is null or HttpStatusCode.RequestEntityTooLarge, $"answered {refused}");
        Assert.Equal(512 * 1024, backend.LongestBody);
    }

    /// <summary>
    /// Posts a body of <paramref name="length"/> bytes, announced with <c>Expect: 100-continue</c> so
    /// that a refusal from its length comes before it is sent; the status, or null when the proxy
    /// answered and closed the connection while the body was still being sent (the client sends it
    /// anyway after a second without an answer, as on a busy machine), which a client may see as a
    /// broken pipe before it reads the answer.
    /// </summary>
    private static async Task<HttpStatusCode?> PostOverTheCapAsync(HttpClient client, int length)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mytool/upload") { Content = new ByteArrayContent(new byte[length]) };
        request.Headers.ExpectContinue = true;
        try
        {
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
            return null;
        }
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
        await proxy.WaitForReplicaAsync("/mytool/");

        await proxy.Store.ChangeAsync(async db => (await db.Tools.FindAsync("mytool"))!.DisabledAt = TimeProvider.System.GetUtcNow());

        await proxy.WaitForAsync("/mytool/", (s, body) => s == HttpStatusCode.NotFound && body.Contains("was deleted", StringComparison.Ordinal));
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

    /// <summary>Waits until <paramref name="condition"/> holds; the patience only catches a hang.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var patience = new CancellationTokenSource(ProxyHarness.Patience);
        while (!condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, patience.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
        }
    }
}
