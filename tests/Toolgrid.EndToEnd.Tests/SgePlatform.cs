namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// A platform on a real Son of Grid Engine cluster (<c>deploy/grid/sge-cluster.sh</c>, queues
/// <c>default</c> and <c>dedicated</c>), toolgridd started with <c>--backend gridengine</c>.
/// </summary>
public sealed class SgePlatform() : GridPlatform("sge", "gse")
{
    public override IReadOnlyList<string> GridArguments() =>
    [
        "--backend", "gridengine",
        $"--Toolgrid:GridEngine:Root={Cluster["SGE_ROOT"]}",
        $"--Toolgrid:GridEngine:Cell={Cluster["SGE_CELL"]}",
        $"--Toolgrid:GridEngine:QmasterPort={Cluster["SGE_QMASTER_PORT"]}",
        $"--Toolgrid:GridEngine:ExecdPort={Cluster["SGE_EXECD_PORT"]}",
        $"--Toolgrid:GridEngine:BinDirectory={Cluster["TOOLGRID_SGE_BIN"]}",
        "--Toolgrid:GridEngine:PollInterval=00:00:00.250",
    ];

    public override async Task<string> SubmitByHandAsync(string unixUser, string home, string name) =>
        (await AsUserAsync(unixUser, CellVariables(), Qbin("qsub"), "-terse", "-N", name, "-b", "y", "-wd", home, "-o", "/dev/null", "-e", "/dev/null", "/bin/sleep", "1000")).Trim();

    public override Task DeleteByHandAsync(string jobId) => AsRootAsync(CellVariables(), Qbin("qdel"), jobId);

    public override Task<string?> EngineDrainReasonAsync(string node) => Task.FromResult<string?>(null);

    private string Qbin(string program) => Path.Combine(Cluster["TOOLGRID_SGE_BIN"], program);

    private string[] CellVariables() =>
    [
        "SGE_ROOT=" + Cluster["SGE_ROOT"], "SGE_CELL=" + Cluster["SGE_CELL"],
        "SGE_QMASTER_PORT=" + Cluster["SGE_QMASTER_PORT"], "SGE_EXECD_PORT=" + Cluster["SGE_EXECD_PORT"],
    ];
}
