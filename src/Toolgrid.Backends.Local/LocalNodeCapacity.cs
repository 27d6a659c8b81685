using Toolgrid.Backends.Local.Native;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Local;

/// <summary>What this host offers as a node: the configured capacity, or the host's scaled by the overcommit factors.</summary>
internal static class LocalNodeCapacity
{
    public static NodeCapacity Read(LocalBackendOptions options, string nodeName, bool drained)
    {
        var queues = options.Queues.Count == 0 ? [Core.Jobs.Queues.Default] : options.Queues.ToList();
        var hostMemory = HostMemory.PhysicalBytes();
        var hostCpu = Environment.ProcessorCount * 1000;
        var memory = options.MemoryBytes ?? (long)(hostMemory * options.MemoryOvercommit);
        var cpu = options.CpuMillis ?? (int)Math.Min(int.MaxValue, hostCpu * options.CpuOvercommit);
        return new NodeCapacity(nodeName, queues, memory, cpu, options.Slots, Up: !drained, HostMemoryBytes: hostMemory, HostCpuMillis: hostCpu, Drained: drained, LoadAverage: LoadAverage());
    }

    /// <summary>The one-minute load average from <c>/proc/loadavg</c>; null where it cannot be read.</summary>
    private static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
