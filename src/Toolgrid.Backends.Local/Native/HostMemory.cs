using System.Globalization;

namespace Toolgrid.Backends.Local.Native;

/// <summary>The host's physical memory.</summary>
internal static class HostMemory
{
    /// <summary>MemTotal from /proc/meminfo (the host's, not a cgroup's limit on toolgridd).</summary>
    public static long PhysicalBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    var kilobytes = line["MemTotal:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // Not Linux, or a /proc we cannot read: fall back to what the runtime knows.
        }

        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
