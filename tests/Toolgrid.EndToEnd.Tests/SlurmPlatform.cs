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

    public override async Task<string> SubmitByHandAsync(string unixUser, string home, string name) =>
        (await AsUserAsync(unixUser, [Conf], "sbatch", "--parsable", "-J", name, "-D", home, "-o", "/dev/null", "-e", "/dev/null", "--wrap", "exec sleep 1000")).Trim();

    public override Task DeleteByHandAsync(string jobId) => AsRootAsync([Conf], "scancel", jobId);

    /// <inheritdoc />
    /// <remarks>For a drained node only: one that is not has no reason.</remarks>
    public override async Task<string?> EngineDrainReasonAsync(string node)
    {
        // One line of NAME=VALUE words, where Reason's value runs to the end of its line ("TEXT [root@TIME]").
        var shown = await AsRootAsync([Conf], "scontrol", "show", "node", node);
        var line = shown.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Reason=", StringComparison.Ordinal));
        return line?["Reason=".Length..] ?? throw new InvalidOperationException($"scontrol show node {node} gives no Reason=:\n{shown}");
    }

    private string Conf => "SLURM_CONF=" + Cluster["SLURM_CONF"];
}
