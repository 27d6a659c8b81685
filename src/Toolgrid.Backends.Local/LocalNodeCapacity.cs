using Toolgrid.Backends.Local.Native;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Local;

/// <summary>What this host offers as a node: the configured capacity, or the host's scaled by the overcommit factors.</summary>
internal static class LocalNodeCapacity
{
    public static NodeCapacity Read(LocalBackendOptions options, string nodeName)
    {
        var queues = options.Queues.Count == 0 ? [Core.Jobs.Queues.Default] : options.Queues.ToList();
        var hostMemory = HostMemory.PhysicalBytes();
        var hostCpu = Environment.ProcessorCount * 1000;
        var memory = options.MemoryBytes ?? (long)(hostMemory * options.MemoryOvercommit);
        var cpu = options.CpuMillis ?? (int)Math.Min(int.MaxValue, hostCpu * options.CpuOvercommit);
        return new NodeCapacity(nodeName, queues, memory, cpu, options.Slots, Up: true, HostMemoryBytes: hostMemory, HostCpuMillis: hostCpu);
    }
}
