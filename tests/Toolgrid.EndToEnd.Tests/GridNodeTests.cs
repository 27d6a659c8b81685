using System.Net;
using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// Nodes and queues on a real grid engine cluster, the same tests on each engine
/// (<see cref="GridEngineTests"/>, <see cref="SlurmTests"/>): a node drained with
/// <c>toolgrid nodes drain</c> hands its continuous job to the other node, and a dedicated queue
/// whose only node the engine's admin drained sends new runs to <c>default</c>. Both clusters
/// (<c>deploy/grid/ENGINE-cluster.sh</c>) have two nodes serving <c>default</c> and a
/// <c>dedicated</c> queue on node 2 alone.
/// </summary>
/// <param name="grid">The engine's platform and cluster.</param>
/// <param name="prefix">The start of every tool name of the engine's tests: tools are Unix users, which the platforms share.</param>
public abstract class GridNodeTests(GridPlatform grid, string prefix)
{
    /// <summary>The engine's platform and cluster.</summary>
    protected GridPlatform Grid { get; } = grid;

    protected Platform Platform => Grid.Platform;

    /// <summary>
    /// <c>toolgrid nodes drain</c>: the node is drained in the engine, a new run of the continuous
    /// job starts on the other node, and the old run is stopped only after the new one runs; once
    /// empty the node is listed drained, and resume puts it back in service.
    /// </summary>
    [RootFact]
    public async Task A_drained_nodes_continuous_job_moves_to_the_other_node_its_old_run_stopped_after_the_new_one_runs()
    {
        var tool = prefix + "-drain";
        await Platform.MustAsync("alice", "tools", "create", tool);
        await Platform.MustAsync("alice", "jobs", "run", "bot", "--tool", tool, "--continuous", "--command", "hostname >> bot.hosts; exec sleep 3600");
        var first = await Platform.WaitForRunAsync(tool, "bot", r => r.GetProperty("state").GetString() == "running" && r.GetProperty("node").ValueKind == JsonValueKind.String, TimeSpan.FromMinutes(3));
        var node = first.GetProperty("node").GetString()!;
        var other = Grid.Nodes.Single(n => n != node);
        try
        {
            var refused = await Platform.CliAsync("alice", "nodes", "drain", node, "--reason", "not yours");
            Assert.True(refused.ExitCode != 0 && refused.Stderr.Contains("needs an admin", StringComparison.Ordinal), refused.ToString());

            await Platform.MustAsync(null, "nodes", "drain", node, "--reason", "kernel upgrade");

            var moved = await Platform.WaitForJobAsync(tool, "bot", j => j.GetProperty("runs").EnumerateArray().Any(r => r.GetProperty("id").GetInt64() == first.GetProperty("id").GetInt64() && r.GetProperty("finishedAt").ValueKind == JsonValueKind.String));
            var runs = moved.GetProperty("runs").EnumerateArray().ToList();
            var old = runs.Single(r => r.GetProperty("id").GetInt64() == first.GetProperty("id").GetInt64());
            var successor = runs.Single(r => r.GetProperty("id").GetInt64() > old.GetProperty("id").GetInt64());
            Assert.Equal(("killed", "node-drained"), (old.GetProperty("state").GetString(), old.GetProperty("reason").GetString()));
            Assert.Equal(("running", other), (successor.GetProperty("state").GetString(), successor.GetProperty("node").GetString()));
            Assert.True(successor.GetProperty("startedAt").GetDateTimeOffset() <= old.GetProperty("finishedAt").GetDateTimeOffset(), $"the old run ended before its successor ran: {moved}");
            Assert.Equal(2, runs.Count);

            var listed = await Platform.WaitForNodeAsync(node, n => n.GetProperty("state").GetString() == "drained");
            Assert.Equal("kernel upgrade", listed.GetProperty("drain").GetProperty("reason").GetString());
            if (await Grid.EngineDrainReasonAsync(node) is { } engineReason)
            {
                // The engine's own admins see the reason too (Slurm adds who and when: "TEXT [root@TIME]").
                Assert.StartsWith("kernel upgrade", engineReason, StringComparison.Ordinal);
            }
        }
        finally
        {
            await Platform.CliAsync(null, "nodes", "resume", node);
            await Platform.MustAsync("alice", "jobs", "delete", "bot", "--tool", tool);
        }

        await Platform.WaitForNodeAsync(node, n => n.GetProperty("state").GetString() == "up");
    }

    /// <summary>
    /// A job a tool's user submits straight to the engine is never taken for a run: <c>toolgrid
    /// status</c> warns of it, naming the tool, the job and what to do, while the engine lists it,
    /// and no longer once it is deleted.
    /// </summary>
    [RootFact]
    public async Task A_job_a_tools_user_submits_by_hand_is_reported_in_status_until_it_is_deleted()
    {
        var tool = prefix + "-byhand";
        await Platform.MustAsync("alice", "tools", "create", tool);
        var jobId = await Grid.SubmitByHandAsync(Platform.ToolPrefix + tool, Platform.HomeOf(tool), "crawl");
        string? warned = null;
        try
        {
            await Platform.EventuallyAsync(
                async () => (warned = await WarningAboutAsync($"job {jobId} 'crawl' of tool {tool}")) is not null,
                "the warning in status");
        }
        finally
        {
            await Grid.DeleteByHandAsync(jobId);
        }

        Assert.EndsWith(
            $"was not started by Toolgrid: it is not supervised, restarted or counted against the tool's limits; delete it with `{(Grid is SgePlatform ? "qdel" : "scancel")} {jobId}`, or submit it through Toolgrid (`toolgrid jobs run`)",
            warned,
            StringComparison.Ordinal);
        await Platform.EventuallyAsync(async () => await WarningAboutAsync($"job {jobId} ") is null, "the warning to go once the job is deleted");
    }

    /// <summary>The warning of <c>toolgrid status</c> that says <paramref name="text"/>; null when none does.</summary>
    private async Task<string?> WarningAboutAsync(string text)
    {
        using var status = JsonDocument.Parse(await Platform.MustAsync("alice", "status", "--json"));
        return status.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).FirstOrDefault(w => w?.Contains(text, StringComparison.Ordinal) == true);
    }

    /// <summary>
    /// The cluster's <c>dedicated</c> queue is on node2 alone: a granted tool's job runs there; once
    /// node2 is drained in the engine by its admin (<c>deploy/grid/ENGINE-cluster.sh drain</c>), a new
    /// run of a job of that queue is launched in <c>default</c> (on node1), recorded on the run and
    /// shown by <c>jobs show</c>.
    /// </summary>
    [RootFact]
    public async Task A_dedicated_queue_with_no_usable_node_sends_new_runs_to_default_and_jobs_show_says_so()
    {
        var tool = prefix + "-queue";
        await Platform.MustAsync("alice", "tools", "create", tool);
        await Platform.MustAsync(null, "queues", "grant", "dedicated", tool);
        var first = await Platform.CliAsync("alice", "jobs", "run", "first", "--tool", tool, "--queue", "dedicated", "--wait", "--command", "hostname");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(Grid.Nodes[1], (await File.ReadAllTextAsync(Path.Combine(Platform.HomeOf(tool), "first.out"))).Trim());

        await Grid.ClusterAsync("drain", "2");
        try
        {
            await Platform.EventuallyAsync(
                async () => JsonDocument.Parse(await Platform.MustAsync("alice", "queues", "list", "--json")).RootElement
                    .EnumerateArray().Single(q => q.GetProperty("name").GetString() == "dedicated").GetProperty("state").GetString() == "no usable node",
                "the dedicated queue to have no usable node");
            await Platform.MustAsync("alice", "jobs", "run", "bot", "--tool", tool, "--queue", "dedicated", "--continuous", "--command", "hostname > bot.host; sleep 600");

            var run = await Platform.WaitForRunAsync(tool, "bot", r => r.GetProperty("state").GetString() == "running", TimeSpan.FromMinutes(3));
            var shown = await Platform.MustAsync("alice", "jobs", "show", "bot", "--tool", tool);

            Assert.Equal(("default", Grid.Nodes[0]), (run.GetProperty("launchQueue").GetString(), run.GetProperty("node").GetString()));
            Assert.Contains("dedicated (running in default: no usable node in dedicated)", shown, StringComparison.Ordinal);
            await Platform.EventuallyAsync(async () => File.Exists(Path.Combine(Platform.HomeOf(tool), "bot.host")) && (await File.ReadAllTextAsync(Path.Combine(Platform.HomeOf(tool), "bot.host"))).Trim() == Grid.Nodes[0], "bot to write its host");
        }
        finally
        {
            await Platform.CliAsync("alice", "jobs", "delete", "bot", "--tool", tool);
            await Grid.ClusterAsync("resume", "2");
        }
    }

    /// <summary>
    /// <c>toolgrid webservice start</c> on the grid: the engine places the run on a node, where it
    /// listens on <c>$PORT</c>; the proxy sends the tool's URL there once its health check (GET /,
    /// from toolgridd's host) passes, and <c>webservice status</c> says it is running. Draining that
    /// node under a steady request loop moves the web service to the other node with no request
    /// failing: the new run is healthy, and gets the traffic, before the old one stops.
    /// </summary>
    [RootFact]
    public async Task A_web_service_runs_on_a_grid_node_is_reached_through_the_proxy_and_moves_off_a_drained_node_with_no_failed_request()
    {
        var tool = prefix + "-web";
        await Platform.MustAsync("alice", "tools", "create", tool);
        var user = Platform.ToolPrefix + tool;
        var script = Path.Combine(Platform.HomeOf(tool), "serve-host.py");
        await File.WriteAllTextAsync(script, """
            import http.server, os, socket

            class Host(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"

                def do_GET(self):
                    body = ("served by " + socket.gethostname() + "\n").encode()
                    self.send_response(200)
                    self.send_header("content-type", "text/plain")
                    self.send_header("content-length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            class Server(http.server.ThreadingHTTPServer):
                request_queue_size = 128

            Server((os.environ["HOST"], int(os.environ["PORT"])), Host).serve_forever()
            """);
        await Command.MustAsync("chown", $"{user}:{user}", script);
        var proxy = new ProxyPages(Platform);
        var site = $"/{tool}/";
        static string? NodeOf(HttpStatusCode status, string body) =>
            status == HttpStatusCode.OK && body.StartsWith("served by ", StringComparison.Ordinal) ? body["served by ".Length..].Trim() : null;
        string? drained = null;
        try
        {
            await Platform.MustAsync("alice", "webservice", "start", "--tool", tool, "--", "python3", "serve-host.py");
            await proxy.WaitForAsync(site, (status, body) => NodeOf(status, body) is not null, Platform.Patience);
            var first = await Platform.WaitForRunAsync(tool, "webservice", r => r.GetProperty("state").GetString() == "running" && r.GetProperty("node").ValueKind == JsonValueKind.String);
            var node = first.GetProperty("node").GetString()!;
            Assert.Equal(node, NodeOf(HttpStatusCode.OK, (await proxy.GetAsync(site)).Body));
            var shown = await Platform.MustAsync("alice", "webservice", "status", "--tool", tool);
            Assert.Contains("1 ready of 1 wanted", shown, StringComparison.Ordinal);
            var status = JsonDocument.Parse(await Platform.MustAsync("alice", "webservice", "status", "--tool", tool, "--json")).RootElement;
            Assert.Equal("running", status.GetProperty("state").GetString());

            var other = Grid.Nodes.Single(n => n != node);
            await using var load = proxy.Load(site, NodeOf);
            await WrapperHarness.WaitUntilAsync(() => Task.FromResult(load.Replicas().Contains(node)), () => $"{node} to answer the load", Platform.Patience);
            drained = node;
            await Platform.MustAsync(null, "nodes", "drain", node, "--reason", "kernel upgrade");
            await Platform.WaitForJobAsync(tool, "webservice", j => j.GetProperty("runs").EnumerateArray().Any(r => r.GetProperty("id").GetInt64() == first.GetProperty("id").GetInt64() && r.GetProperty("finishedAt").ValueKind == JsonValueKind.String));
            await WrapperHarness.WaitUntilAsync(() => Task.FromResult(load.Replicas().Contains(other)), () => $"{other} to answer the load", Platform.Patience);
            var (servedBy, failures) = await load.StopAsync();

            Assert.True(failures.Count == 0, $"{failures.Count} requests failed while {node} was drained ({string.Join(", ", servedBy.Select(p => $"{p.Key}: {p.Value}"))}):\n{string.Join('\n', failures.CountBy(f => f).Select(f => $"{f.Value} × {f.Key}"))}\n{Platform.Log[^Math.Min(Platform.Log.Length, 30000)..]}");
            Assert.Equal(other, NodeOf(HttpStatusCode.OK, (await proxy.GetAsync(site)).Body));
        }
        finally
        {
            if (drained is not null)
            {
                await Platform.CliAsync(null, "nodes", "resume", drained);
            }

            await Platform.CliAsync("alice", "webservice", "stop", "--tool", tool);
        }
    }
}
