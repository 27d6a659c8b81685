namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// toolgridd with <c>--backend slurm</c>: its settings checked at start; the node and queue tests of
/// <see cref="GridNodeTests"/> on partitions <c>tools</c> (Toolgrid's <c>default</c>) and <c>dedicated</c>
/// (what every backend does alike is <see cref="SlurmJobTests"/>).
/// </summary>
[Collection(SlurmShared.Name)]
public sealed class SlurmTests(SlurmPlatform slurm) : GridNodeTests(slurm, "slurm")
{
    [RootFact]
    public async Task Toolgridd_refuses_to_start_naming_each_wrong_slurm_setting()
    {
        var noConfig = await Grid.RefusedToolgriddAsync(
            "--Toolgrid:Slurm:ConfigFile=/nonexistent/slurm.conf",
            "--Toolgrid:Slurm:PollInterval=00:00:00");
        var noPartition = await Grid.RefusedToolgriddAsync("--Toolgrid:Slurm:DefaultPartition=nosuchpartition");

        Assert.True(noConfig.ExitCode == 1, noConfig.ToString());
        Assert.Contains("Toolgrid:Slurm:PollInterval must be positive (it is 00:00:00)", noConfig.Stderr, StringComparison.Ordinal);
        Assert.Contains("Toolgrid:Slurm:ConfigFile: there is no /nonexistent/slurm.conf", noConfig.Stderr, StringComparison.Ordinal);
        Assert.True(noPartition.ExitCode == 1, noPartition.ToString());
        Assert.Contains("Toolgrid:Slurm:DefaultPartition: the cluster has no partition 'nosuchpartition' (it has tools, dedicated)", noPartition.Stderr, StringComparison.Ordinal);
    }
}
