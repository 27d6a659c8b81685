using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Scenarios;

/// <summary>Sleeping runs and what their shepherds and toolgridd hold in memory; then their deletion.</summary>
/// <param name="Runs">Sleeping runs asked for.</param>
/// <param name="Shepherds">Shepherd processes found for them.</param>
/// <param name="RssBytes">Each shepherd's VmRSS.</param>
/// <param name="PssBytes">Each shepherd's proportional set size (shared pages divided among their users).</param>
/// <param name="AnonBytes">Each shepherd's RssAnon (its own, unshared pages).</param>
/// <param name="ServerRssBytes">toolgridd's VmRSS with the runs up.</param>
/// <param name="ServerRssIdleBytes">toolgridd's VmRSS before the runs were submitted.</param>
/// <param name="StartSeconds">First submit to all runs running.</param>
/// <param name="StopSeconds">First delete to no shepherd, no process of the tool's user and no run cgroup left.</param>
/// <param name="Leftovers">What was still there after the deletion (empty when all is gone).</param>
internal sealed record MemoryResult(
    int Runs,
    int Shepherds,
    Distribution RssBytes,
    Distribution PssBytes,
    Distribution AnonBytes,
    long ServerRssBytes,
    long ServerRssIdleBytes,
    double StartSeconds,
    double StopSeconds,
    IReadOnlyList<string> Leftovers);
