using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Supervision;

/// <summary>N continuous jobs up: memory, then toolgridd SIGKILLed and started again, then deletion.</summary>
/// <param name="Jobs">Continuous jobs asked for.</param>
/// <param name="Shepherds">Shepherd processes found for them.</param>
/// <param name="RssBytes">Each shepherd's VmRSS.</param>
/// <param name="PssBytes">Each shepherd's proportional set size.</param>
/// <param name="ServerRssIdleBytes">toolgridd's VmRSS before the jobs.</param>
/// <param name="ServerRssBytes">toolgridd's VmRSS with the runs up.</param>
/// <param name="UpSeconds">First submit → all runs running.</param>
/// <param name="ApiSeconds">The new toolgridd's exec → its API answers.</param>
/// <param name="AdoptSeconds">The new toolgridd's exec → its first reconcile done (the node seen) with every run running.</param>
/// <param name="AdoptCpuSeconds">The new toolgridd's CPU time by then.</param>
/// <param name="AdoptedServerRssBytes">The new toolgridd's VmRSS with the runs adopted.</param>
/// <param name="AdoptProblems">Shepherds that died or changed, runs started twice (empty when none).</param>
/// <param name="StopSeconds">Deleting the jobs → no shepherd, process or run cgroup left.</param>
/// <param name="Leftovers">What was left after the deletion.</param>
internal sealed record ContinuousFleetResult(
    int Jobs,
    int Shepherds,
    Distribution RssBytes,
    Distribution PssBytes,
    long ServerRssIdleBytes,
    long ServerRssBytes,
    double UpSeconds,
    double ApiSeconds,
    double AdoptSeconds,
    double AdoptCpuSeconds,
    long AdoptedServerRssBytes,
    IReadOnlyList<string> AdoptProblems,
    double StopSeconds,
    IReadOnlyList<string> Leftovers);
