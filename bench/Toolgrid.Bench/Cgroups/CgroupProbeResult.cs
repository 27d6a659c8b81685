using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Cgroups;

/// <summary>The cost of one write to <c>cgroup.procs</c>, isolated and in a burst, and the kernel's mode.</summary>
/// <param name="Hierarchy">Where the probe cgroups were made.</param>
/// <param name="IsolatedMs">Each write after a quiet pause.</param>
/// <param name="BurstMs">Writes back to back (the first of the burst left out).</param>
/// <param name="FavorDynModsMounted">A cgroup hierarchy is mounted with favordynmods now.</param>
/// <param name="PerThreadgroupSinceBoot">The kernel log says favordynmods was on earlier in this boot and its per-threadgroup rwsem stayed on.</param>
internal sealed record CgroupProbeResult(string Hierarchy, Distribution IsolatedMs, Distribution BurstMs, bool FavorDynModsMounted, bool PerThreadgroupSinceBoot)
{
    /// <summary>Whether an isolated attach waits for an RCU grace period here (a millisecond or more, against microseconds).</summary>
    public bool IsolatedWaits => IsolatedMs.P50 >= 1.0;
}
