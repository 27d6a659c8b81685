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
    private readonly ProxyPages _proxy = new(platform);

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
            await _proxy.WaitForAsync(site, (status, body) => status == HttpStatusCode.OK && body.Contains(DefaultPage, StringComparison.Ordinal), Patience);

            // The README's example, typed into a shell as it stands there: the single quotes keep
            // $HOST and $PORT for the run's own shell, which gets them from the platform.
            await File.WriteAllTextAsync(Path.Combine(platform.HomeOf(tool), "public_html", ".hidden"), "not for the web");
            var started = TimeProvider.System.GetTimestamp();
            var start = await ShellAsync("alice", ReadmeExample().Replace("mytool", tool, StringComparison.Ordinal));
            Assert.True(start.ExitCode == 0, start.ToString());
            var url = $"http://127.0.0.1:{platform.ProxyPort.ToString(CultureInfo.InvariantCulture)}{site}";
            Assert.Contains(url, start.Stdout, StringComparison.Ordinal);

            await _proxy.WaitForAsync(site, (status, body) => status == HttpStatusCode.OK && body.Contains(ServedByTheWebservice, StringComparison.Ordinal), Patience);
            var firstAnswer = TimeProvider.System.GetElapsedTime(started);
            output.WriteLine($"webservice start -> first 200 through the proxy: {firstAnswer.TotalSeconds:0.00} s");

            // It serves public_html, bound to loopback; its hidden files never reach it through the proxy.
            Assert.Contains(".hidden", (await _proxy.GetAsync(site)).Body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await _proxy.GetAsync(site + ".hidden")).Status);
            var shown = await platform.MustAsync("alice", "webservice", "status", "--tool", tool);
            Assert.Contains("running", shown, StringComparison.Ordinal);
            Assert.Contains(url, shown, StringComparison.Ordinal);
            Assert.Contains("1 ready of 1 wanted", shown, StringComparison.Ordinal);
            Assert.DoesNotContain("Warning", shown, StringComparison.Ordinal);
            var json = JsonDocument.Parse(await platform.MustAsync("alice", "webservice", "status", "--tool", tool, "--json")).RootElement;
            Assert.Equal("running", json.GetProperty("state").GetString());
            Assert.Equal("generic", json.GetProperty("type").GetString());

            // The status page says it is up.
            var (_, report) = await _proxy.GetAsync("/?format=json");
            var listed = JsonDocument.Parse(report).RootElement.GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("name").GetString() == tool);
            Assert.True(listed.GetProperty("webservice").GetProperty("up").GetBoolean(), report);

            // Its logs are the job's: http.server logs each request on stderr.
            var logs = await platform.MustAsync("alice", "webservice", "logs", "--tool", tool);
            Assert.Contains("GET /", logs, StringComparison.Ordinal);

            // One that listens on every address is reached around the proxy: the platform says so.
            await platform.MustAsync("alice", "webservice", "start", "--tool", tool, "--", "python3", "-m", "http.server", "--bind", "0.0.0.0", "$PORT");
            var warned = await WaitForWarningAsync(tool);
            Assert.Contains("listens on 0.0.0.0:", warned, StringComparison.Ordinal);
            Assert.Contains("reachable around the proxy; bind to $HOST", warned, StringComparison.Ordinal);
            var (_, page) = await _proxy.GetAsync("/?format=json");
            var onPage = JsonDocument.Parse(page).RootElement.GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("name").GetString() == tool);
            Assert.Contains("listens on 0.0.0.0:", onPage.GetProperty("webservice").GetProperty("warning").GetString(), StringComparison.Ordinal);

            var stop = await platform.MustAsync("alice", "webservice", "stop", "--tool", tool);
            Assert.Contains("stop", stop, StringComparison.Ordinal);
            await _proxy.WaitForAsync(site, (status, body) => status == HttpStatusCode.OK && body.Contains(DefaultPage, StringComparison.Ordinal), Patience);
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
    public async Task Hidden_paths_of_a_web_service_that_serves_the_home_are_not_found_through_the_proxy_until_the_tool_allows_them()
    {
        const string tool = "ws-dots";
        const string gitConfig = "[remote \"origin\"]\n\turl = https://ws-dots:hunter2@git.example.org/ws-dots.git\n";
        await platform.MustAsync("alice", "tools", "create", tool);
        var user = Platform.ToolPrefix + tool;
        var home = platform.HomeOf(tool);
        // What a tool keeps in hidden parts of its home: a bot's credentials, a checkout's remote.
        var token = "key-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(Path.Combine(home, ".secrets"));
        await File.WriteAllTextAsync(Path.Combine(home, ".secrets", "api-key"), token + "\n");
        Directory.CreateDirectory(Path.Combine(home, ".git"));
        await File.WriteAllTextAsync(Path.Combine(home, ".git", "config"), gitConfig);
        await Command.MustAsync("chown", "-R", $"{user}:{user}", Path.Combine(home, ".git"), Path.Combine(home, ".secrets"));
        string[] serveTheHome = ["python3", "-m", "http.server", "--bind", "$HOST", "$PORT"];
        var site = $"/{tool}/";
        try
        {
            // A web service that serves the whole home, hidden files too, as a careless one would.
            await platform.MustAsync("alice", ["webservice", "start", "--tool", tool, "--", .. serveTheHome]);
            await _proxy.WaitForAsync(site, (status, body) => status == HttpStatusCode.OK && body.Contains(ServedByTheWebservice, StringComparison.Ordinal), Patience);
            foreach (var path in new[] { ".secrets/api-key", ".git/config", "%2esecrets/api-key", "%2Egit/config", "public_html/..%2f.git/config" })
            {
                var (status, body) = await _proxy.GetAsync(site + path);

                Assert.True(status == HttpStatusCode.NotFound, $"{site}{path}: {(int)status}");
                Assert.DoesNotContain(token, body, StringComparison.Ordinal);
                Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
            }

            // The tool asks for them: the same paths reach its web service.
            await platform.MustAsync("alice", ["webservice", "start", "--tool", tool, "--allow-dot-paths", "--", .. serveTheHome]);
            await _proxy.WaitForAsync(site + ".git/config", (status, body) => status == HttpStatusCode.OK && body == gitConfig, Patience);
            var (tokenStatus, tokenBody) = await _proxy.GetAsync(site + ".secrets/api-key");
            Assert.Equal(HttpStatusCode.OK, tokenStatus);
            Assert.Equal(token, tokenBody.Trim());
            Assert.Contains("passed on to the web service", await platform.MustAsync("alice", "webservice", "status", "--tool", tool), StringComparison.Ordinal);
        }
        finally
        {
            await platform.CliAsync("alice", "webservice", "stop", "--tool", tool);
            await WaitForNoProcessesAsync(user, TimeSpan.FromSeconds(30));
        }
    }

    [RootFact]
    public async Task A_python_web_service_listens_on_loopback_only_where_the_proxy_reaches_it()
    {
        const string tool = "ws-wsgi";
        var user = await CreateToolWithAppAsync(tool, "python", ("app.py", """
            def app(environ, start_response):
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [b"hello from wsgi"]
            """));
        var site = $"/{tool}/";
        try
        {
            await platform.MustAsync("alice", "webservice", "start", "--tool", tool, "--type", "python");
            await _proxy.WaitForAsync(site, (status, body) => status == HttpStatusCode.OK && body == "hello from wsgi", Patience);

            // It answered through the proxy, so it listens: on loopback ($HOST), nowhere else.
            var uid = (await Command.MustAsync("id", "-u", user)).Trim();
            var listening = await ListeningAsync(uid);
            Assert.NotEmpty(listening);
            Assert.All(listening, address => Assert.True(address.StartsWith("0100007F:", StringComparison.Ordinal) || address.StartsWith("00000000000000000000000001000000:", StringComparison.Ordinal), address));
        }
        finally
        {
            await platform.CliAsync("alice", "webservice", "stop", "--tool", tool);
            await WaitForNoProcessesAsync(user, TimeSpan.FromSeconds(30));
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

            await _proxy.WaitForAsync($"/{tool}/hello.txt", (status, body) => status == HttpStatusCode.OK && body == "hello from web\n", Patience);
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
        var user = await CreateToolWithAppAsync(
            tool,
            "js",
            ("package.json", """{ "name": "ws-node", "private": true, "scripts": { "start": "node server.js" } }"""),
            ("server.js", """
            require('http').createServer((req, res) => {
              res.writeHead(200, { 'content-type': 'text/plain' });
              res.end('hello from node ' + process.pid);
            }).listen(Number(process.env.PORT), process.env.HOST);
            """));
        var site = $"/{tool}/";
        try
        {
            await platform.MustAsync("alice", "webservice", "start", "--tool", tool, "--type", "node", "--replicas", "2");
            await _proxy.WaitForAsync(site, (status, body) => status == HttpStatusCode.OK && body.StartsWith("hello from node", StringComparison.Ordinal), Patience);
            await WrapperHarness.WaitUntilAsync(
                async () => (await platform.MustAsync("alice", "webservice", "status", "--tool", tool)).Contains("2 ready of 2 wanted", StringComparison.Ordinal),
                () => "the second replica did not become ready",
                Patience);

            // Four clients keep asking until told to stop. A replica's node gets SIGKILL once both
            // replicas have answered (the load is on both); the load goes on until a replica that
            // was not there before the kill answers (the platform has started a new one), so that
            // every request from the kill to the replacement had to be answered.
            await using var load = _proxy.Load(site, (status, body) => status == HttpStatusCode.OK && body.StartsWith("hello from node ", StringComparison.Ordinal) ? body["hello from node ".Length..].Trim() : null);
            await WrapperHarness.WaitUntilAsync(() => Task.FromResult(load.Replicas().Count >= 2), () => $"both replicas to answer: {string.Join(", ", load.Replicas())}", Patience);
            var before = load.Replicas();
            var victim = before.First();
            await Command.MustAsync("kill", "-KILL", victim);
            await WrapperHarness.WaitUntilAsync(() => Task.FromResult(load.Replicas().Except(before).Any()), () => $"a new replica to answer: {string.Join(", ", load.Replicas())}\n{platform.Log}", Patience);
            var (servedBy, failures) = await load.StopAsync();

            output.WriteLine($"requests served by each replica's node: {string.Join(", ", servedBy.Select(p => $"{p.Key}: {p.Value}"))}; {failures.Count} failed; {victim} killed");
            Assert.True(failures.Count == 0, string.Join('\n', failures.Take(10)));
        }
        finally
        {
            await platform.CliAsync("alice", "webservice", "stop", "--tool", tool);
            await WaitForNoProcessesAsync(user, Patience);
        }
    }

    /// <summary>Only catches a hang.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>The web service example of the README, as it is to be typed (its comment left off).</summary>
    private static string ReadmeExample()
    {
        var line = File.ReadLines(Path.Combine(Platform.RepositoryRoot, "README.md")).Single(l => l.StartsWith("toolgrid webservice start ", StringComparison.Ordinal));
        return line[..line.IndexOf(" #", StringComparison.Ordinal)].Trim();
    }

    /// <summary>Runs <paramref name="line"/> with /bin/sh as a person, with the CLI under test first on the PATH.</summary>
    private Task<CommandResult> ShellAsync(string user, string line)
    {
        var name = Platform.Person(user);
        var path = Path.GetDirectoryName(Platform.ToolgridCli) + ":/usr/local/bin:/usr/bin:/bin";
        return Command.RunAsync("setpriv", ["--reuid=" + name, "--regid=" + name, "--init-groups", "--reset-env", "--", "/usr/bin/env", $"TOOLGRID_API=unix:{platform.Socket}", "HOME=/", "NO_COLOR=1", "COLUMNS=200", "PATH=" + path, "/bin/sh", "-c", line]);
    }

    /// <summary>Waits until the web service's status carries a warning; returns it.</summary>
    private async Task<string> WaitForWarningAsync(string tool)
    {
        var view = "";
        string? warning = null;
        await WrapperHarness.WaitUntilAsync(
            async () =>
            {
                view = await platform.MustAsync("alice", "webservice", "status", "--tool", tool, "--json");
                warning = JsonDocument.Parse(view).RootElement.TryGetProperty("warning", out var given) && given.ValueKind == JsonValueKind.String ? given.GetString() : null;
                return warning is not null;
            },
            () => $"a warning in {view}",
            Patience);
        return warning!;
    }

    /// <summary>Creates the tool with the files of an app in <c>~/www/FOLDER</c>, all the tool's own; its Unix user.</summary>
    private async Task<string> CreateToolWithAppAsync(string tool, string folder, params (string Name, string Text)[] files)
    {
        await platform.MustAsync("alice", "tools", "create", tool);
        var user = Platform.ToolPrefix + tool;
        var app = Path.Combine(platform.HomeOf(tool), "www", folder);
        Directory.CreateDirectory(app);
        foreach (var (name, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(app, name), text);
        }

        await Command.MustAsync("chown", "-R", $"{user}:{user}", Path.Combine(platform.HomeOf(tool), "www"));
        return user;
    }

    /// <summary>The local addresses (as /proc/net/tcp writes them) of the sockets the uid listens on.</summary>
    private static async Task<List<string>> ListeningAsync(string uid)
    {
        var found = new List<string>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in (await File.ReadAllLinesAsync(file)).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 7 && fields[3] == "0A" && fields[7] == uid)
                {
                    found.Add(fields[1]);
                }
            }
        }

        return found;
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
