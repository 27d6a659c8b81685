using System.Globalization;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// A real web service in a test tool, behind the real front proxy of toolgridd: started with the
/// CLI, reached through the proxy at <c>/TOOL/</c>, stopped, and the tool's default page back.
/// </summary>
[Collection(SharedPlatform.Name)]
public sealed class WebserviceTests(Platform platform, ITestOutputHelper output)
{
    /// <summary>What Python's http.server answers at a directory: only the web service says this.</summary>
    private const string ServedByTheWebservice = "Directory listing for /";

    /// <summary>What the proxy's default page for a tool without a page or a web service says.</summary>
    private const string DefaultPage = "This tool has no web page of its own yet";

    [RootFact]
    public async Task A_generic_python_web_service_is_reached_through_the_proxy_once_started_and_the_default_page_is_back_once_stopped()
    {
        const string tool = "ws-python";
        await platform.MustAsync("alice", "tools", "create", tool);
        var site = $"/{tool}/";
        try
        {
            // Before: the tool exists (once the proxy has read it), with neither a page nor a web service.
            await WaitForAsync(site, (status, body) => status == HttpStatusCode.OK && body.Contains(DefaultPage, StringComparison.Ordinal), Patience);

            // '$PORT' reaches the run's shell unexpanded: no shell runs between here and the CLI.
            var started = TimeProvider.System.GetTimestamp();
            var start = await platform.MustAsync("alice", "webservice", "start", "--tool", tool, "--", "python3", "-m", "http.server", "--bind", "127.0.0.1", "$PORT");
            var url = $"http://127.0.0.1:{platform.ProxyPort.ToString(CultureInfo.InvariantCulture)}{site}";
            Assert.Contains(url, start, StringComparison.Ordinal);

            await WaitForAsync(site, (status, body) => status == HttpStatusCode.OK && body.Contains(ServedByTheWebservice, StringComparison.Ordinal), Patience);
            var firstAnswer = TimeProvider.System.GetElapsedTime(started);
            output.WriteLine($"webservice start -> first 200 through the proxy: {firstAnswer.TotalSeconds:0.00} s");

            var shown = await platform.MustAsync("alice", "webservice", "status", "--tool", tool);
            Assert.Contains("running", shown, StringComparison.Ordinal);
            Assert.Contains(url, shown, StringComparison.Ordinal);
            Assert.Contains("1 ready of 1 wanted", shown, StringComparison.Ordinal);
            var json = JsonDocument.Parse(await platform.MustAsync("alice", "webservice", "status", "--tool", tool, "--json")).RootElement;
            Assert.Equal("running", json.GetProperty("state").GetString());
            Assert.Equal("generic", json.GetProperty("type").GetString());

            // The status page says it is up.
            var (_, report) = await GetAsync("/?format=json");
            var listed = JsonDocument.Parse(report).RootElement.GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("name").GetString() == tool);
            Assert.True(listed.GetProperty("webservice").GetProperty("up").GetBoolean(), report);

            // Its logs are the job's: http.server logs each request on stderr.
            var logs = await platform.MustAsync("alice", "webservice", "logs", "--tool", tool);
            Assert.Contains("GET /", logs, StringComparison.Ordinal);

            var stop = await platform.MustAsync("alice", "webservice", "stop", "--tool", tool);
            Assert.Contains("stop", stop, StringComparison.Ordinal);
            await WaitForAsync(site, (status, body) => status == HttpStatusCode.OK && body.Contains(DefaultPage, StringComparison.Ordinal), Patience);
            await WaitForNoProcessesAsync(Platform.ToolPrefix + tool, Patience);
            var after = JsonDocument.Parse(await platform.MustAsync("alice", "webservice", "status", "--tool", tool, "--json")).RootElement;
            Assert.Equal("none", after.GetProperty("type").GetString());
        }
        finally
        {
            await platform.CliAsync("alice", "webservice", "stop", "--tool", tool);
        }
    }

    [RootFact]
    public async Task A_shell_and_its_script_after_dashes_reach_the_run_as_typed()
    {
        const string tool = "ws-shell";
        await platform.MustAsync("alice", "tools", "create", tool);
        var web = Path.Combine(platform.HomeOf(tool), "web");
        Directory.CreateDirectory(web);
        await File.WriteAllTextAsync(Path.Combine(web, "hello.txt"), "hello from web\n");
        try
        {
            // sh gets '-c' and the whole script as one word: it changes directory, then serves.
            await platform.MustAsync("alice", "webservice", "start", "--tool", tool, "--", "/bin/sh", "-c", "cd web && exec python3 -m http.server --bind 127.0.0.1 \"$PORT\"");

            await WaitForAsync($"/{tool}/hello.txt", (status, body) => status == HttpStatusCode.OK && body == "hello from web\n", TimeSpan.FromSeconds(90));
        }
        finally
        {
            await platform.CliAsync("alice", "webservice", "stop", "--tool", tool);
        }
    }

    [RootFact]
    public async Task A_node_web_service_with_two_replicas_loses_no_request_when_one_is_killed_under_load()
    {
        const string tool = "ws-node";
        await platform.MustAsync("alice", "tools", "create", tool);
        var user = Platform.ToolPrefix + tool;
        var app = Path.Combine(platform.HomeOf(tool), "www", "js");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "package.json"), """{ "name": "ws-node", "private": true, "scripts": { "start": "node server.js" } }""");
        await File.WriteAllTextAsync(Path.Combine(app, "server.js"), """
            require('http').createServer((req, res) => {
              res.writeHead(200, { 'content-type': 'text/plain' });
              res.end('hello from node ' + process.pid);
            }).listen(Number(process.env.PORT), '127.0.0.1');
            """);
        await Command.MustAsync("chown", "-R", $"{user}:{user}", Path.Combine(platform.HomeOf(tool), "www"));
        var site = $"/{tool}/";
        try
        {
            await platform.MustAsync("alice", "webservice", "start", "--tool", tool, "--type", "node", "--replicas", "2");
            await WaitForAsync(site, (status, body) => status == HttpStatusCode.OK && body.StartsWith("hello from node", StringComparison.Ordinal), Patience);
            await WrapperHarness.WaitUntilAsync(
                async () => (await platform.MustAsync("alice", "webservice", "status", "--tool", tool)).Contains("2 ready of 2 wanted", StringComparison.Ordinal),
                () => "the second replica did not become ready",
                Patience);

            // Four clients keep asking until told to stop. A replica's node gets SIGKILL once both
            // replicas have answered (the load is on both); the load goes on until a replica that
            // was not there before the kill answers (the platform has started a new one), so that
            // every request from the kill to the replacement had to be answered.
            var failures = new List<string>();
            var servedBy = new Dictionary<string, int>(StringComparer.Ordinal);
            using var stop = new CancellationTokenSource();
            IReadOnlyCollection<string> Replicas()
            {
                lock (servedBy)
                {
                    return servedBy.Keys.ToList();
                }
            }

            async Task LoadAsync()
            {
                using var client = Proxy();
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        using var response = await client.GetAsync(site);
                        var body = await response.Content.ReadAsStringAsync();
                        lock (servedBy)
                        {
                            if (response.StatusCode != HttpStatusCode.OK || !body.StartsWith("hello from node ", StringComparison.Ordinal))
                            {
                                failures.Add($"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 200)]}");
                            }
                            else
                            {
                                var pid = body["hello from node ".Length..].Trim();
                                servedBy[pid] = servedBy.GetValueOrDefault(pid) + 1;
                            }
                        }
                    }
                    catch (HttpRequestException e)
                    {
                        lock (servedBy)
                        {
                            failures.Add(e.Message);
                        }
                    }
                }
            }

            var load = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(LoadAsync)));
            string victim;
            try
            {
                await WrapperHarness.WaitUntilAsync(() => Task.FromResult(Replicas().Count >= 2), () => $"both replicas to answer: {string.Join(", ", Replicas())}", Patience);
                var before = Replicas();
                victim = before.First();
                await Command.MustAsync("kill", "-KILL", victim);
                await WrapperHarness.WaitUntilAsync(() => Task.FromResult(Replicas().Except(before).Any()), () => $"a new replica to answer: {string.Join(", ", Replicas())}\n{platform.Log}", Patience);
            }
            finally
            {
                await stop.CancelAsync();
                await load;
            }

            lock (servedBy)
            {
                output.WriteLine($"requests served by each replica's node: {string.Join(", ", servedBy.Select(p => $"{p.Key}: {p.Value}"))}; {failures.Count} failed; {victim} killed");
                Assert.True(failures.Count == 0, string.Join('\n', failures.Take(10)));
            }
        }
        finally
        {
            await platform.CliAsync("alice", "webservice", "stop", "--tool", tool);
            await WaitForNoProcessesAsync(user, Patience);
        }
    }

    /// <summary>Only catches a hang.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private HttpClient Proxy() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, UseCookies = false })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{platform.ProxyPort.ToString(CultureInfo.InvariantCulture)}"),
        Timeout = TimeSpan.FromSeconds(30),
    };

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var client = Proxy();
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task WaitForAsync(string path, Func<HttpStatusCode, string, bool> check, TimeSpan within)
    {
        var deadline = TimeProvider.System.GetUtcNow() + within;
        var last = "(no answer)";
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            try
            {
                var (status, body) = await GetAsync(path);
                if (check(status, body))
                {
                    return;
                }

                last = $"{(int)status}: {body[..Math.Min(body.Length, 400)]}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        using var client = platform.RootClient();
        var webservice = await client.GetStringAsync($"/api/v1/tools/{path.Trim('/')}/webservice");
        throw new TimeoutException($"after {within}, the proxy still answers {path} with {last}\nweb service: {webservice}\n{platform.Log}");
    }

    private static async Task WaitForNoProcessesAsync(string user, TimeSpan within)
    {
        var deadline = TimeProvider.System.GetUtcNow() + within;
        while (true)
        {
            var found = await Command.RunAsync("pgrep", ["-u", user]);
            if (found.ExitCode != 0)
            {
                return;
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"{user} still runs processes {found.Stdout} {within} after the web service was stopped");
            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }
    }
}
