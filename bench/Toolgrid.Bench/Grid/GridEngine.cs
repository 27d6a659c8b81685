namespace Toolgrid.Bench.Grid;

/// <summary>
/// One grid engine the bench compares Toolgrid on with: its test-cluster script
/// (deploy/grid/ENGINE-cluster.sh), toolgridd's arguments for such a cluster (the backend's
/// defaults otherwise, as a site gets them), and the raw submission of a script as a site's
/// tools submit without Toolgrid (deploy/grid/common.sh's <c>sge_submit_as</c>, <c>slurm_submit_as</c>).
/// </summary>
/// <param name="Name">The engine as the bench names it: <c>sge</c> or <c>slurm</c>.</param>
/// <param name="Backend">toolgridd's backend name.</param>
/// <param name="Arguments">toolgridd's arguments for the cluster, from its env file.</param>
/// <param name="RawSubmit">The program, its arguments and environment that submit SCRIPT ARG as USER from HOME.</param>
internal sealed record GridEngine(
    string Name,
    string Backend,
    Func<IReadOnlyDictionary<string, string>, IReadOnlyList<string>> Arguments,
    Func<IReadOnlyDictionary<string, string>, string, string, string, string, (string Program, IReadOnlyList<string> Arguments)> RawSubmit)
{
    public static readonly GridEngine Sge = new(
        "sge",
        "gridengine",
        env =>
        [
            "--backend", "gridengine",
            $"--Toolgrid:GridEngine:Root={env["SGE_ROOT"]}",
            $"--Toolgrid:GridEngine:Cell={env["SGE_CELL"]}",
            $"--Toolgrid:GridEngine:QmasterPort={env["SGE_QMASTER_PORT"]}",
            $"--Toolgrid:GridEngine:ExecdPort={env["SGE_EXECD_PORT"]}",
            $"--Toolgrid:GridEngine:BinDirectory={env["TOOLGRID_SGE_BIN"]}",
        ],
        (env, user, home, script, argument) => (
            "/usr/bin/setpriv",
            [
                $"--reuid={user}", $"--regid={user}", "--init-groups", "--reset-env", "--",
                "/usr/bin/env",
                $"SGE_ROOT={env["SGE_ROOT"]}", $"SGE_CELL={env["SGE_CELL"]}",
                $"SGE_QMASTER_PORT={env["SGE_QMASTER_PORT"]}", $"SGE_EXECD_PORT={env["SGE_EXECD_PORT"]}",
                Path.Combine(env["TOOLGRID_SGE_BIN"], "qsub"), "-terse", "-wd", home, "-o", "/dev/null", "-j", "y", script, argument,
            ]));

    public static readonly GridEngine Slurm = new(
        "slurm",
        "slurm",
        env => ["--backend", "slurm", $"--Toolgrid:Slurm:ConfigFile={env["SLURM_CONF"]}"],
        (env, user, home, script, argument) => (
            "/usr/bin/env",
            [
                $"SLURM_CONF={env["SLURM_CONF"]}",
                "/usr/bin/sbatch", "--parsable", $"--uid={user}", $"--gid={user}", "--export=NONE", "-D", home, "-o", "/dev/null", script, argument,
            ]));

    public static GridEngine? Named(string name) => name switch
    {
        "sge" => Sge,
        "slurm" => Slurm,
        _ => null,
    };
}
