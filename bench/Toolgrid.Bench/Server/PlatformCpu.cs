using System.Globalization;

namespace Toolgrid.Bench.Server;

/// <summary>
/// CPU time of the whole platform: toolgridd, its launchers, shepherds and the runs' commands,
/// through a cgroup v1 <c>cpuacct</c> group that toolgridd is moved into when it starts (its
/// descendants inherit it; the shepherd does not use cpuacct, so the runs stay in it too).
/// </summary>
internal sealed class PlatformCpu
{
    private readonly string _usage;

    private PlatformCpu(string usage) => _usage = usage;

    public static PlatformCpu? Attach(int pid, string cgroupParent)
    {
        const string hierarchy = "/sys/fs/cgroup/cpuacct";
        if (!File.Exists(Path.Combine(hierarchy, "cgroup.procs")))
        {
            return null;
        }

        var group = Path.Combine(hierarchy, cgroupParent, "server");
        Directory.CreateDirectory(group);
        File.WriteAllText(Path.Combine(group, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
        return new PlatformCpu(Path.Combine(group, "cpuacct.usage"));
    }

    /// <summary>CPU seconds used so far by everything in the group.</summary>
    public double Seconds() => long.Parse(File.ReadAllText(_usage).Trim(), CultureInfo.InvariantCulture) / 1e9;
}
