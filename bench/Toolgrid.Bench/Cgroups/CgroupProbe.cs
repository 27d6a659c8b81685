using System.Globalization;
using Toolgrid.Bench.Native;
using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Cgroups;

/// <summary>
/// What it costs to move a process into a cgroup by writing <c>cgroup.procs</c>, as a run's job
/// does on cgroup v1: once after a quiet moment (an isolated start) and many times in a row (a burst).
/// </summary>
/// <remarks>
/// The write takes the kernel's <c>cgroup_threadgroup_rwsem</c> for writing. That percpu rwsem
/// keeps its readers (every fork and exit) on a fast path, and switching it to the slow path for
/// a writer waits for an RCU grace period, unless another writer switched it within the last
/// grace period. So an isolated write waits milliseconds and a burst does not. Mounting a
/// hierarchy with <c>favordynmods</c> keeps it on the slow path (and on Linux 6.18 switches attaches
/// to a per-process rwsem), and the wait goes away.
/// </remarks>
internal static class CgroupProbe
{
    public static async Task<CgroupProbeResult?> MeasureAsync(string cgroupParent, int isolated, TimeSpan gap, int burst, CancellationToken cancellationToken)
    {
        var hierarchy = Directory.Exists("/sys/fs/cgroup/pids") && File.Exists("/sys/fs/cgroup/pids/cgroup.procs")
            ? "/sys/fs/cgroup/pids"
            : File.Exists("/sys/fs/cgroup/cgroup.controllers") ? "/sys/fs/cgroup" : null;
        if (hierarchy is null)
        {
            return null;
        }

        var parent = Path.Combine(hierarchy, cgroupParent);
        var a = Path.Combine(parent, "probe-a");
        var b = Path.Combine(parent, "probe-b");
        Directory.CreateDirectory(a);
        Directory.CreateDirectory(b);
        var sleeper = Posix.Spawn("/bin/sleep", ["600"]);
        try
        {
            var pid = sleeper.ToString(CultureInfo.InvariantCulture);
            var lone = new List<double>();
            for (var i = 0; i < isolated; i++)
            {
                await Task.Delay(gap, TimeProvider.System, cancellationToken);
                lone.Add(Posix.TimedWrite(Path.Combine(i % 2 == 0 ? a : b, "cgroup.procs"), pid).TotalMilliseconds);
            }

            var inBurst = new List<double>();
            for (var i = 0; i < burst; i++)
            {
                inBurst.Add(Posix.TimedWrite(Path.Combine(i % 2 == 0 ? a : b, "cgroup.procs"), pid).TotalMilliseconds);
            }

            // The first of a burst is an isolated write; the rest show the fast path.
            return new CgroupProbeResult(hierarchy, Distribution.Of(lone), Distribution.Of(inBurst.Skip(1)), FavorDynModsMounted(), await KernelSaysPerThreadgroupAsync(cancellationToken));
        }
        finally
        {
            Posix.Kill(sleeper, Posix.SigKill);
            Posix.Wait(sleeper);
            Directory.Delete(a);
            Directory.Delete(b);
        }
    }

    /// <summary>Whether a cgroup hierarchy is mounted with favordynmods now.</summary>
    public static bool FavorDynModsMounted() =>
        File.ReadLines("/proc/self/mounts").Any(l => l.Contains(" cgroup", StringComparison.Ordinal) && l.Contains("favordynmods", StringComparison.Ordinal));

    /// <summary>
    /// Whether the kernel said, since boot, that favordynmods was turned off again but its
    /// per-threadgroup rwsem stays (Linux 6.18: that switch is one-way until the next boot).
    /// </summary>
    public static async Task<bool> KernelSaysPerThreadgroupAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (code, output) = await Machine.ExternalCommand.RunAsync("dmesg", [], cancellationToken);
            return code == 0 && output.Contains("per threadgroup rwsem mechanism can't be disabled", StringComparison.Ordinal);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
