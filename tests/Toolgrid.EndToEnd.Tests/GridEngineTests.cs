using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// toolgridd with <c>--backend gridengine</c>: its settings checked at start, and
/// runs the engine removes or loses; the node and queue tests of <see cref="GridNodeTests"/> (what
/// every backend does alike is <see cref="GridEngineJobTests"/>).
/// </summary>
[Collection(SgeShared.Name)]
public sealed class GridEngineTests(SgePlatform grid) : GridNodeTests(grid, "grid")
{
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
        await Grid.ClusterAsync("stop-master");
        try
        {
            waited = Platform.CliAsync("alice", "jobs", "run", "patient", "--tool", tool, "--wait", "--command", "echo $JOB_ID >> patient.ran; exit 3");
            await Platform.WaitForRunAsync(tool, "patient", r => r.GetProperty("message").GetString()?.StartsWith("waiting for the grid: Grid Engine's qmaster", StringComparison.Ordinal) == true, TimeSpan.FromMinutes(2));
            shown = await Platform.MustAsync("alice", "jobs", "show", "patient", "--tool", tool);
            status = await Platform.MustAsync("alice", "status");
        }
        finally
        {
            await Grid.ClusterAsync("start-master");
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
        await Grid.ClusterAsync("drain", "2");
        JsonElement first;
        try
        {
            await Platform.MustAsync("alice", "jobs", "run", "bot", "--tool", tool, "--continuous", "--command", "exec sleep 1000");
            first = await Platform.WaitForRunAsync(tool, "bot", r => r.GetProperty("state").GetString() == "running", TimeSpan.FromMinutes(2));
        }
        finally
        {
            await Grid.ClusterAsync("resume", "2");
        }

        var deleted = await Command.RunAsync(
            "/usr/bin/env",
            [
                "SGE_ROOT=" + Grid.Cluster["SGE_ROOT"], "SGE_CELL=" + Grid.Cluster["SGE_CELL"],
                "SGE_QMASTER_PORT=" + Grid.Cluster["SGE_QMASTER_PORT"], "SGE_EXECD_PORT=" + Grid.Cluster["SGE_EXECD_PORT"],
                Path.Combine(Grid.Cluster["TOOLGRID_SGE_BIN"], "qdel"), "-u", "*", "tg-" + first.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
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
        await Grid.ClusterAsync("kill-node", number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            lost = await RunAsync(tool, second.GetProperty("id").GetInt64(), r => r.GetProperty("finishedAt").ValueKind == JsonValueKind.String);
            third = await Platform.WaitForRunAsync(tool, "bot", r => r.GetProperty("id").GetInt64() != second.GetProperty("id").GetInt64() && r.GetProperty("state").GetString() == "running", TimeSpan.FromMinutes(2));
        }
        finally
        {
            await Grid.ClusterAsync("revive-node", number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await Platform.MustAsync("alice", "jobs", "delete", "bot", "--tool", tool);
        Assert.Equal(("lost", "node-lost", node), (lost.GetProperty("state").GetString(), lost.GetProperty("reason").GetString(), lost.GetProperty("node").GetString()));
        Assert.Contains($"its node {node} stopped answering", lost.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(other, third.GetProperty("node").GetString());

        // Back, the node takes work again: the error state the qmaster put its queues in, when its
        // execd reported the deleted job failed, is cleared by Toolgrid.
        await Platform.WaitForNodeAsync(node, n => n.GetProperty("state").GetString() == "up");
    }

    [RootFact]
    public async Task Toolgridd_refuses_to_start_naming_each_wrong_grid_setting()
    {
        var missingCell = await Grid.RefusedToolgriddAsync(
            "--Toolgrid:GridEngine:Cell=nosuchcell",
            "--Toolgrid:GridEngine:ExecdPort=70000");
        var deadQmaster = await Grid.RefusedToolgriddAsync($"--Toolgrid:GridEngine:QmasterPort={Platform.FreePort()}");
        var noQueue = await Grid.RefusedToolgriddAsync("--Toolgrid:GridEngine:DefaultQueue=nosuchqueue");
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

    private IReadOnlyList<string> Nodes => Grid.Nodes;

    private async Task<JsonElement> RunAsync(string tool, long runId, Func<JsonElement, bool> condition)
    {
        static JsonElement? Run(JsonElement job, long id) =>
            job.GetProperty("runs").EnumerateArray().Where(r => r.GetProperty("id").GetInt64() == id).Select(r => (JsonElement?)r).FirstOrDefault();

        return Run(await Platform.WaitForJobAsync(tool, "bot", j => Run(j, runId) is { } run && condition(run)), runId)!.Value;
    }
}
