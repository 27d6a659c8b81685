using System.Net.Http.Json;
using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>toolgridd with <c>--backend gridengine</c>: its settings checked at start, and what it refuses (what every backend does alike is <see cref="GridEngineJobTests"/>).</summary>
[Collection(SgeShared.Name)]
public sealed class GridEngineTests(SgePlatform grid)
{
    private Platform Platform => grid.Platform;

    /// <summary>
    /// A job run while the qmaster is down is accepted and waits for the grid, saying so in
    /// <c>jobs show</c> and <c>status</c>; once the qmaster is back it runs, once, and
    /// <c>--wait</c> exits with its exit code.
    /// </summary>
    [RootFact]
    public async Task A_job_run_while_the_qmaster_is_down_waits_for_the_grid_and_runs_once_it_is_back()
    {
        const string tool = "grid-wait";
        await Platform.MustAsync("alice", "tools", "create", tool);

        Task<CommandResult> waited;
        string shown, status;
        await grid.ClusterAsync("stop-master");
        try
        {
            waited = Platform.CliAsync("alice", "jobs", "run", "patient", "--tool", tool, "--wait", "--command", "echo $JOB_ID >> patient.ran; exit 3");
            await Platform.WaitForRunAsync(tool, "patient", r => r.GetProperty("message").GetString()?.StartsWith("waiting for the grid: Grid Engine's qmaster", StringComparison.Ordinal) == true, TimeSpan.FromMinutes(2));
            shown = await Platform.MustAsync("alice", "jobs", "show", "patient", "--tool", tool);
            status = await Platform.MustAsync("alice", "status");
        }
        finally
        {
            await grid.ClusterAsync("start-master");
        }

        var result = await waited;
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("waiting for the grid: Grid Engine's qmaster", shown, StringComparison.Ordinal);
        Assert.Contains("Grid Engine's qmaster", status, StringComparison.Ordinal);
        Assert.Single(await File.ReadAllLinesAsync(Path.Combine(Platform.HomeOf(tool), "patient.ran")));
    }

    /// <summary>
    /// A continuous job's run deleted with qdel outside Toolgrid ends killed, removed outside; a new
    /// run takes its place. Its node dying: the run is recorded lost on it, and a new run runs on the other node.
    /// </summary>
    [RootFact]
    public async Task A_continuous_jobs_run_removed_with_qdel_or_lost_with_its_node_is_recorded_so_and_replaced_on_the_other_node()
    {
        const string tool = "grid-faults";
        await Platform.MustAsync("alice", "tools", "create", tool);

        // Its first run on node 1: node 2 takes no new work until it runs.
        await grid.ClusterAsync("drain", "2");
        JsonElement first;
        try
        {
            await Platform.MustAsync("alice", "jobs", "run", "bot", "--tool", tool, "--continuous", "--command", "exec sleep 1000");
            first = await Platform.WaitForRunAsync(tool, "bot", r => r.GetProperty("state").GetString() == "running", TimeSpan.FromMinutes(2));
        }
        finally
        {
            await grid.ClusterAsync("resume", "2");
        }

        var deleted = await Command.RunAsync(
            "/usr/bin/env",
            [
                "SGE_ROOT=" + grid.Cluster["SGE_ROOT"], "SGE_CELL=" + grid.Cluster["SGE_CELL"],
                "SGE_QMASTER_PORT=" + grid.Cluster["SGE_QMASTER_PORT"], "SGE_EXECD_PORT=" + grid.Cluster["SGE_EXECD_PORT"],
                Path.Combine(grid.Cluster["TOOLGRID_SGE_BIN"], "qdel"), "-u", "*", "tg-" + first.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ]);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        var removed = await RunAsync(tool, first.GetProperty("id").GetInt64(), r => r.GetProperty("finishedAt").ValueKind == JsonValueKind.String);
        var second = await Platform.WaitForRunAsync(tool, "bot", r => r.GetProperty("id").GetInt64() != first.GetProperty("id").GetInt64() && r.GetProperty("state").GetString() == "running", TimeSpan.FromMinutes(2));

        Assert.Equal(("killed", "removed-outside"), (removed.GetProperty("state").GetString(), removed.GetProperty("reason").GetString()));
        Assert.StartsWith("removed outside Toolgrid", removed.GetProperty("message").GetString(), StringComparison.Ordinal);

        var node = second.GetProperty("node").GetString()!;
        var other = Nodes.Single(n => n != node);
        var number = Nodes.ToList().IndexOf(node) + 1;
        JsonElement lost, third;
        await grid.ClusterAsync("kill-node", number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            lost = await RunAsync(tool, second.GetProperty("id").GetInt64(), r => r.GetProperty("finishedAt").ValueKind == JsonValueKind.String);
            third = await Platform.WaitForRunAsync(tool, "bot", r => r.GetProperty("id").GetInt64() != second.GetProperty("id").GetInt64() && r.GetProperty("state").GetString() == "running", TimeSpan.FromMinutes(2));
        }
        finally
        {
            await grid.ClusterAsync("revive-node", number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await Platform.MustAsync("alice", "jobs", "delete", "bot", "--tool", tool);
        Assert.Equal(("lost", "node-lost", node), (lost.GetProperty("state").GetString(), lost.GetProperty("reason").GetString(), lost.GetProperty("node").GetString()));
        Assert.Contains($"its node {node} stopped answering", lost.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(other, third.GetProperty("node").GetString());
    }

    /// <summary>
    /// <c>toolgrid nodes drain</c> on Grid Engine: the node's queue instances are disabled, a new run
    /// of the continuous job starts on the other node, and the old run is stopped only after the
    /// new one runs; once empty the node is listed drained, and resume enables it again.
    /// </summary>
    [RootFact]
    public async Task A_drained_nodes_continuous_job_moves_to_the_other_node_its_old_run_stopped_after_the_new_one_runs()
    {
        const string tool = "grid-drain";
        await Platform.MustAsync("alice", "tools", "create", tool);
        await Platform.MustAsync("alice", "jobs", "run", "bot", "--tool", tool, "--continuous", "--command", "hostname >> bot.hosts; exec sleep 3600");
        var first = await Platform.WaitForRunAsync(tool, "bot", r => r.GetProperty("state").GetString() == "running" && r.GetProperty("node").ValueKind == JsonValueKind.String, TimeSpan.FromMinutes(3));
        var node = first.GetProperty("node").GetString()!;
        var other = grid.Nodes.Single(n => n != node);
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

            var listed = await WaitForNodeAsync(node, n => n.GetProperty("state").GetString() == "drained");
            Assert.Equal("kernel upgrade", listed.GetProperty("drain").GetProperty("reason").GetString());
        }
        finally
        {
            await Platform.CliAsync(null, "nodes", "resume", node);
            await Platform.MustAsync("alice", "jobs", "delete", "bot", "--tool", tool);
        }

        await WaitForNodeAsync(node, n => n.GetProperty("state").GetString() == "up");
    }

    private async Task<JsonElement> WaitForNodeAsync(string node, Func<JsonElement, bool> condition)
    {
        JsonElement last = default;
        await Platform.EventuallyAsync(
            async () =>
            {
                using var listed = JsonDocument.Parse(await Platform.MustAsync("alice", "nodes", "list", "--json"));
                last = listed.RootElement.EnumerateArray().Single(n => n.GetProperty("name").GetString() == node).Clone();
                return condition(last);
            },
            $"node {node} to get there");
        return last;
    }

    /// <summary>What Grid Engine cannot run is refused when submitted, naming the backend, and nothing is stored.</summary>
    [RootFact]
    public async Task A_web_service_and_a_job_with_a_port_are_refused_on_grid_engine_and_nothing_is_stored()
    {
        const string tool = "grid-web";
        await Platform.MustAsync("alice", "tools", "create", tool);

        var web = await Platform.CliAsync("alice", "webservice", "start", "--tool", tool, "--", "./serve");
        var port = await Platform.CliAsync("alice", "jobs", "run", "api", "--tool", tool, "--continuous", "--port", "0", "--command", "./serve");

        Assert.True(web.ExitCode != 0 && web.Stderr.Contains("the gridengine backend cannot run web services", StringComparison.Ordinal), web.ToString());
        Assert.True(port.ExitCode != 0 && port.Stderr.Contains("the gridengine backend cannot run web services", StringComparison.Ordinal), port.ToString());
        using var client = Platform.RootClient();
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>($"/api/v1/tools/{tool}/jobs")).GetArrayLength());
    }

    [RootFact]
    public async Task Toolgridd_refuses_to_start_naming_each_wrong_grid_setting()
    {
        var missingCell = await grid.RefusedToolgriddAsync(
            "--Toolgrid:GridEngine:Cell=nosuchcell",
            "--Toolgrid:GridEngine:ExecdPort=70000");
        var deadQmaster = await grid.RefusedToolgriddAsync($"--Toolgrid:GridEngine:QmasterPort={Platform.FreePort()}");
        var noQueue = await grid.RefusedToolgriddAsync("--Toolgrid:GridEngine:DefaultQueue=nosuchqueue");
        var unknownBackend = await Command.RunAsync(Platform.Toolgridd, ["--backend", "slurmm"]);

        Assert.True(missingCell.ExitCode == 1, missingCell.ToString());
        Assert.Contains("Toolgrid:GridEngine:ExecdPort must be a port, 1-65535 (it is 70000)", missingCell.Stderr, StringComparison.Ordinal);
        Assert.Contains("the cell 'nosuchcell' has no directory", missingCell.Stderr, StringComparison.Ordinal);
        Assert.True(deadQmaster.ExitCode == 1, deadQmaster.ToString());
        Assert.Contains("the qmaster of cell", deadQmaster.Stderr, StringComparison.Ordinal);
        Assert.True(noQueue.ExitCode == 1, noQueue.ToString());
        Assert.Contains("the cell has no cluster queue 'nosuchqueue' (it has dedicated, default)", noQueue.Stderr, StringComparison.Ordinal);
        Assert.True(unknownBackend.ExitCode == 1, unknownBackend.ToString());
        Assert.Contains("unknown backend 'slurmm'", unknownBackend.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// The cluster's <c>dedicated</c> queue is on node2 alone: a granted tool's job runs there; once
    /// node2's queue instances are disabled, a new run of a job of that queue is launched in
    /// <c>default</c> (on node1), recorded on the run and shown by <c>jobs show</c>.
    /// </summary>
    [RootFact]
    public async Task A_dedicated_queue_with_no_usable_node_sends_new_runs_to_default_and_jobs_show_says_so()
    {
        const string tool = "grid-queue";
        await Platform.MustAsync("alice", "tools", "create", tool);
        await Platform.MustAsync(null, "queues", "grant", "dedicated", tool);
        var first = await Platform.CliAsync("alice", "jobs", "run", "first", "--tool", tool, "--queue", "dedicated", "--wait", "--command", "hostname");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(grid.Nodes[1], (await File.ReadAllTextAsync(Path.Combine(Platform.HomeOf(tool), "first.out"))).Trim());

        await grid.ClusterAsync("drain", "2");
        try
        {
            await Platform.EventuallyAsync(
                async () => JsonDocument.Parse(await Platform.MustAsync("alice", "queues", "list", "--json")).RootElement
                    .EnumerateArray().Single(q => q.GetProperty("name").GetString() == "dedicated").GetProperty("state").GetString() == "no usable node",
                "the dedicated queue to have no usable node");
            await Platform.MustAsync("alice", "jobs", "run", "bot", "--tool", tool, "--queue", "dedicated", "--continuous", "--command", "hostname > bot.host; sleep 600");

            var run = await Platform.WaitForRunAsync(tool, "bot", r => r.GetProperty("state").GetString() == "running", TimeSpan.FromMinutes(3));
            var shown = await Platform.MustAsync("alice", "jobs", "show", "bot", "--tool", tool);

            Assert.Equal(("default", grid.Nodes[0]), (run.GetProperty("launchQueue").GetString(), run.GetProperty("node").GetString()));
            Assert.Contains("dedicated (running in default: no usable node in dedicated)", shown, StringComparison.Ordinal);
            await Platform.EventuallyAsync(async () => File.Exists(Path.Combine(Platform.HomeOf(tool), "bot.host")) && (await File.ReadAllTextAsync(Path.Combine(Platform.HomeOf(tool), "bot.host"))).Trim() == grid.Nodes[0], "bot to write its host");
        }
        finally
        {
            await Platform.CliAsync("alice", "jobs", "delete", "bot", "--tool", tool);
            await grid.ClusterAsync("resume", "2");
        }
    }

    private IReadOnlyList<string> Nodes => grid.Nodes;

    private async Task<JsonElement> RunAsync(string tool, long runId, Func<JsonElement, bool> condition)
    {
        JsonElement run = default;
        await Platform.EventuallyAsync(
            async () => (run = (await Platform.JobAsync(tool, "bot")).GetProperty("runs").EnumerateArray().FirstOrDefault(r => r.GetProperty("id").GetInt64() == runId)) is { ValueKind: JsonValueKind.Object } && condition(run),
            $"{tool}'s run {runId} to get there");
        return run;
    }
}
