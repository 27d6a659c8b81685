namespace Toolgrid.Bench.Grid;

/// <summary>
/// <c>--grid-tuned</c>: the node-loss detection the operator guide gives ("Run on a grid", "Tuning
/// fault detection"), for the test clusters (their scripts' variables) and for toolgridd.
/// </summary>
internal static class GridTuning
{
    /// <summary>
    /// The cluster scripts' variables: SGE's execd reports every second and is unknown after 3 s
    /// unheard (the qmaster takes the larger of <c>max_unheard</c> and three report intervals, and
    /// looks only every 15 s), reschedule_unknown off; Slurm's SlurmdTimeout 3 s and MessageTimeout
    /// 1 s (a ping of a node whose slurmd is gone retries for MessageTimeout, and two come before
    /// the node is DOWN).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Cluster = new Dictionary<string, string>
    {
        ["TOOLGRID_SGE_LOAD_REPORT_TIME"] = "00:00:01",
        ["TOOLGRID_SGE_MAX_UNHEARD"] = "00:00:03",
        ["TOOLGRID_SGE_RESCHEDULE_UNKNOWN"] = "00:00:00",
        ["TOOLGRID_SLURM_SLURMD_TIMEOUT"] = "3",
        ["TOOLGRID_SLURM_MESSAGE_TIMEOUT"] = "1",
    };

    /// <summary>toolgridd's: a run on an unknown SGE node is lost after 1 s.</summary>
    public static readonly IReadOnlyList<string> Server = ["Toolgrid__GridEngine__NodeLostAfter=00:00:01"];

    /// <summary>How the report names the settings.</summary>
    public const string Describe = "tuned as the operator guide says: SGE load_report_time 1 s, max_unheard 3 s, reschedule_unknown 0, NodeLostAfter 1 s; Slurm SlurmdTimeout 3 s, MessageTimeout 1 s";

    /// <summary>Puts the cluster variables in this process's environment, which the cluster scripts inherit.</summary>
    public static void Apply()
    {
        foreach (var (name, value) in Cluster)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
