namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// A platform on a real Slurm cluster (<c>deploy/grid/slurm-cluster.sh</c>, partitions <c>tools</c>,
/// the default, and <c>dedicated</c>), toolgridd started with <c>--backend slurm</c>.
/// </summary>
public sealed class SlurmPlatform() : GridPlatform("slurm", "esl")
{
    public override IReadOnlyList<string> GridArguments() =>
    [
        "--backend", "slurm",
        $"--Toolgrid:Slurm:ConfigFile={Cluster["SLURM_CONF"]}",
        "--Toolgrid:Slurm:PollInterval=00:00:00.250",
    ];
}
