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
}
