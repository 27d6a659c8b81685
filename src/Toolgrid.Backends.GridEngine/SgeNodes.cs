using Toolgrid.Backends.GridEngine.Engine;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.GridEngine;

/// <summary>Turns what qhost and qstat say into Toolgrid's nodes.</summary>
public static class SgeNodes
{
    /// <summary>
    /// One <see cref="NodeCapacity"/> per host that has a queue instance: its queues, the slots of
    /// all its instances, its memory and CPUs as qhost reports them, and whether any instance
    /// takes work. A host whose every instance is disabled (<c>d</c>, <c>qmod -d</c>) and none of
    /// them unknown is drained. A host whose execd is <paramref name="silent"/> takes no work,
    /// whatever the qmaster still says. The proxy reaches a node's runs by its host name.
    /// </summary>
    public static IReadOnlyList<NodeCapacity> Capacity(IReadOnlyList<SgeHost> hosts, IReadOnlyList<SgeQueueInstance> queueInstances, IReadOnlySet<string>? silent = null)
    {
        var byName = hosts.ToDictionary(h => h.Name, StringComparer.Ordinal);
        return queueInstances
            .GroupBy(q => q.Host, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(instances =>
            {
                var host = byName.GetValueOrDefault(instances.Key);
                var memory = host?.MemoryTotalBytes ?? 0;
                var cpu = (host?.Processors ?? 0) * 1000;
                return new NodeCapacity(
                    instances.Key,
                    instances.Select(q => q.Queue).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                    memory,
                    cpu,
                    instances.Sum(q => q.SlotsTotal),
                    instances.Any(q => q.TakesWork) && silent?.Contains(instances.Key) != true,
                    Address: instances.Key,
                    HostMemoryBytes: host?.MemoryTotalBytes,
                    HostCpuMillis: host?.Processors is { } processors ? processors * 1000 : null,
                    Drained: instances.All(q => q.Disabled && !q.Unknown),
                    LoadAverage: host?.LoadAverage);
            })
            .ToList();
    }
}
