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
}
