namespace Toolgrid.EndToEnd.Tests;

/// <summary>toolgridd with <c>--backend gridengine</c>: its settings checked at start, and a one-off job through the real API, CLI and SGE cluster.</summary>
[Collection(SgeShared.Name)]
public sealed class GridEngineTests(SgePlatform grid)
{
    private Platform Platform => grid.Platform;

    [RootFact]
    public Task A_one_off_job_runs_on_a_grid_node_as_its_tool_and_wait_exits_with_its_exit_code() =>
        grid.OneOffJobRunsOnANodeAsync("grid-one");

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
}
