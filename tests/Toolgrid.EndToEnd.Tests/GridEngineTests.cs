using System.Net.Http.Json;
using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>toolgridd with <c>--backend gridengine</c>: its settings checked at start, and what it refuses (what every backend does alike is <see cref="GridEngineJobTests"/>).</summary>
[Collection(SgeShared.Name)]
public sealed class GridEngineTests(SgePlatform grid)
{
    private Platform Platform => grid.Platform;

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

            var moved = await WaitForJobAsync(tool, "bot", j => j.GetProperty("runs").EnumerateArray().Any(r => r.GetProperty("id").GetInt64() == first.GetProperty("id").GetInt64() && r.GetProperty("finishedAt").ValueKind == JsonValueKind.String));
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
        await Eventually(
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

    private async Task<JsonElement> WaitForJobAsync(string tool, string job, Func<JsonElement, bool> condition)
    {
        JsonElement last = default;
        await Eventually(async () => condition(last = await Platform.JobAsync(tool, job)), $"{tool}/{job} to get there");
        return last;
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(3);
        while (!await condition())
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"waited 3 minutes for {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System);
        }
    }
}
