namespace Toolgrid.Bench.Grid;

/// <summary>
/// <c>--grid-tuned</c>: the node-loss detection the operator guide gives ("Run on a grid", "Tuning
/// fault detection"), for the test clusters (their scripts' variables) and for toolgridd.
/// </summary>
internal static class GridTuning
{
    /// <summary>The cluster scripts' variables: SGE's execd reports every 2 s and is unknown after 4 s unheard, reschedule_unknown off; Slurm's SlurmdTimeout 4 s.</summary>
    public static readonly IReadOnlyDictionary<string, string> Cluster = new Dictionary<string, string>
    {
        ["TOOLGRID_SGE_LOAD_REPORT_TIME"] = "00:00:02",
        ["TOOLGRID_SGE_MAX_UNHEARD"] = "00:00:04",
        ["TOOLGRID_SGE_RESCHEDULE_UNKNOWN"] = "00:00:00",
        ["TOOLGRID_SLURM_SLURMD_TIMEOUT"] = "4",
    };

    /// <summary>toolgridd's: a run on an unknown SGE node is lost after 2 s.</summary>
    public static readonly IReadOnlyList<string> Server = ["Toolgrid__GridEngine__NodeLostAfter=00:00:02"];

    /// <summary>How the report names the settings.</summary>
    public const string Describe = "tuned as the operator guide says: SGE load_report_time 2 s, max_unheard 4 s, reschedule_unknown 0, NodeLostAfter 2 s; Slurm SlurmdTimeout 4 s";

    /// <summary>Puts the cluster variables in this process's environment, which the cluster scripts inherit.</summary>
    public static void Apply()
    {
        foreach (var (name, value) in Cluster)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
