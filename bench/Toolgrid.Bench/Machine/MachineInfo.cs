using System.Globalization;

namespace Toolgrid.Bench.Machine;

/// <summary>What the figures were measured on.</summary>
internal sealed record MachineInfo(int Cores, long MemoryBytes, string Kernel, string Cgroups, string CpuModel, string StateFileSystem)
{
    public static MachineInfo Detect(string stateDirectory)
    {
        var memory = File.ReadLines("/proc/meminfo")
            .Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024)
            .FirstOrDefault();
        var kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        var cpu = File.ReadLines("/proc/cpuinfo")
            .Where(l => l.StartsWith("model name", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
            .FirstOrDefault() ?? "unknown";
        return new MachineInfo(Environment.ProcessorCount, memory, kernel, CgroupVersion(), cpu, FileSystemOf(stateDirectory));
    }

    /// <summary>The same rule as toolgridd's CgroupDetector: v2 with memory and pids, else v1 memory and pids.</summary>
    private static string CgroupVersion()
    {
        const string controllers = "/sys/fs/cgroup/cgroup.controllers";
        if (File.Exists(controllers))
        {
            var listed = File.ReadAllText(controllers).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (listed.Contains("memory") && listed.Contains("pids"))
            {
                return "v2";
            }
        }

        return File.Exists("/sys/fs/cgroup/memory/cgroup.procs") && File.Exists("/sys/fs/cgroup/pids/cgroup.procs") ? "v1" : "none";
    }

    /// <summary>The file system type of the mount that holds <paramref name="path"/> (fsync costs differ: ext4, tmpfs…).</summary>
    private static string FileSystemOf(string path)
    {
        var full = Path.GetFullPath(path);
        var best = (Mount: "", Type: "unknown");
        foreach (var line in File.ReadLines("/proc/self/mounts"))
        {
            var fields = line.Split(' ');
            if (fields.Length < 3)
            {
                continue;
            }

            var mount = fields[1].Replace("\\040", " ", StringComparison.Ordinal);
            var under = full == mount || full.StartsWith(mount.TrimEnd('/') + "/", StringComparison.Ordinal);
            if (under && mount.Length >= best.Mount.Length)
            {
                best = (mount, fields[2]);
            }
        }

        return best.Type;
    }

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Cores} cores ({CpuModel}), {MemoryBytes / (1024.0 * 1024 * 1024):0.#} GiB, Linux {Kernel}, cgroup {Cgroups}, state on {StateFileSystem}");
}
