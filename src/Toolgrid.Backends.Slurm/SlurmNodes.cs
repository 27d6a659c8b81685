using Toolgrid.Backends.Slurm.Engine;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Slurm;

/// <summary>Turns what sinfo says into Toolgrid's nodes.</summary>
public static class SlurmNodes
{
    /// <summary>Toolgrid's name of the queue every tool may use: the cluster's default partition.</summary>
    public const string DefaultQueue = "default";

    /// <summary>
    /// One <see cref="NodeCapacity"/> per node: its partitions as queues (the default partition
    /// named <see cref="DefaultQueue"/>: Slurm cannot have a partition called <c>default</c>), a slot
    /// per CPU (a run books at least one), its memory and CPUs, whether it takes work or is
    /// drained (<c>DRAIN</c>, and answering), its load, and its
    /// <c>NodeAddr</c>, where the proxy reaches its runs.
    /// </summary>
    /// <param name="nodes">What <c>sinfo --json</c> said.</param>
    /// <param name="defaultPartition">The cluster's default partition.</param>
    public static IReadOnlyList<NodeCapacity> Capacity(IReadOnlyList<SlurmNode> nodes, string defaultPartition) =>
        nodes
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .Select(node => new NodeCapacity(
                node.Name,
                node.Partitions.Select(p => p == defaultPartition ? DefaultQueue : p).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                node.MemoryMegabytes * 1024 * 1024,
                node.Cpus * 1000,
                node.Cpus,
                node.TakesWork,
                Address: node.Address,
                HostMemoryBytes: node.MemoryMegabytes * 1024 * 1024,
                HostCpuMillis: node.Cpus * 1000,
                Drained: node.Drained && !node.NotResponding,
                LoadAverage: node.Load))
            .ToList();
}
