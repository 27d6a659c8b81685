using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>toolgridd with <c>--backend gridengine</c>: its settings checked at start, and a one-off job through the real API, CLI and SGE cluster.</summary>
[Collection(GridShared.Name)]
public sealed class GridEngineTests(GridPlatform grid)
{
    private Platform Platform => grid.Platform;

    [RootFact]
    public async Task A_one_off_job_runs_on_a_grid_node_as_its_tool_and_wait_exits_with_its_exit_code()
    {
        await Platform.MustAsync("alice", "tools", "create", "grid-one");

        var result = await Platform.CliAsync("alice", "jobs", "run", "where", "--tool", "grid-one", "--wait", "--command", "hostname; id -un; exit 3");

        Assert.True(result.ExitCode == 3, result.ToString());
        var output = (await File.ReadAllLinesAsync(Path.Combine(Platform.HomeOf("grid-one"), "where.out"))).ToList();
        var nodes = new[] { grid.Cluster["TOOLGRID_GRID_NODE1"], grid.Cluster["TOOLGRID_GRID_NODE2"] };
        Assert.Contains(output[0], nodes);
        Assert.Equal(Platform.ToolPrefix + "grid-one", output[1]);
        using var shown = JsonDocument.Parse(await Platform.MustAsync("alice", "jobs", "show", "where", "--tool", "grid-one", "--json"));
        Assert.Equal(output[0], shown.RootElement.GetProperty("runs")[0].GetProperty("node").GetString());
    }

    [RootFact]
    public async Task Toolgridd_refuses_to_start_naming_each_wrong_grid_setting()
    {
        var missingCell = await ToolgriddAsync(
            "--Toolgrid:GridEngine:Cell=nosuchcell",
            "--Toolgrid:GridEngine:ExecdPort=70000");
        var deadQmaster = await ToolgriddAsync($"--Toolgrid:GridEngine:QmasterPort={Platform.FreePort()}");
        var noQueue = await ToolgriddAsync("--Toolgrid:GridEngine:DefaultQueue=nosuchqueue");
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

    /// <summary>A second toolgridd on the cluster, in a directory of its own, with one setting changed: it must not start.</summary>
    private async Task<CommandResult> ToolgriddAsync(params string[] wrong)
    {
        var root = Path.Combine(Platform.Root, "refused-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        string[] arguments =
        [
            "--data-root", Path.Combine(root, "data"),
            "--state-dir", Path.Combine(root, "state"),
            "--api-socket", Path.Combine(root, "api.sock"),
            "--api-urls", "",
            "--proxy-urls", "",
            .. grid.GridArguments(),
            .. wrong,
        ];
        return await Command.RunAsync(Platform.Toolgridd, arguments, timeout: TimeSpan.FromMinutes(2));
    }

}
