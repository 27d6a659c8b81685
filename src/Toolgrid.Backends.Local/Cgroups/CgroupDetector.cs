using Toolgrid.Native;

namespace Toolgrid.Backends.Local.Cgroups;

/// <summary>Detects the cgroup version the way the shepherd does, and checks that the parent cgroups can be made.</summary>
/// <remarks>
/// The rule (the same in the shepherd's cgroup.c): v2 when <c>/sys/fs/cgroup/cgroup.controllers</c> lists
/// <c>memory</c> and <c>pids</c>; otherwise v1 when the <c>memory</c> and <c>pids</c> hierarchies
/// are mounted under <c>/sys/fs/cgroup</c>; otherwise none. A hybrid host (v1 hierarchies plus
/// an empty cgroup2 at <c>/sys/fs/cgroup/unified</c>) is v1.
/// </remarks>
internal static class CgroupDetector
{
    public const string Root = "/sys/fs/cgroup";

    /// <summary>The v1 hierarchies a run joins, when mounted; memory and pids are required. (No freezer: kills fence forks with pids.max.)</summary>
    public static readonly IReadOnlyList<string> V1Hierarchies = ["memory", "pids", "cpu"];

    public static CgroupDetection Detect(bool enabled, string parent)
    {
        const string NoLimits = "runs have no memory/CPU/process limits";
        if (!enabled)
        {
            return new(CgroupVersion.None, [$"cgroups are turned off in the configuration: {NoLimits}"]);
        }

        if (LibC.GetEUid() != 0)
        {
            return new(CgroupVersion.None, [$"toolgridd does not run as root, so its shepherds cannot create cgroups: {NoLimits}; runs can only run as toolgridd's own user"]);
        }

        var version = Version();
        if (version == CgroupVersion.None)
        {
            return new(CgroupVersion.None, [$"no usable cgroup hierarchy (neither cgroup v2 with memory and pids, nor cgroup v1 memory and pids): {NoLimits}"]);
        }

        var warnings = new List<string>();
        var hierarchies = version == CgroupVersion.V2
            ? [Root]
            : V1Hierarchies.Select(h => Path.Combine(Root, h)).Where(h => File.Exists(Path.Combine(h, "cgroup.procs"))).ToList();
        foreach (var hierarchy in hierarchies)
        {
            var directory = Path.Combine(hierarchy, parent);
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new(CgroupVersion.None, [$"cgroups are not writable ({directory}: {e.Message}): {NoLimits}"]);
            }
        }

        if (version == CgroupVersion.V1 && !File.Exists(Path.Combine(Root, "cpu", "cgroup.procs")))
        {
            warnings.Add("the cpu cgroup is not mounted: runs have no CPU limit");
        }

        if (version == CgroupVersion.V2 && !Listed(File.ReadAllText(Path.Combine(Root, "cgroup.controllers")), "cpu"))
        {
            warnings.Add("the cpu controller is not available: runs have no CPU limit");
        }

        return new(version, warnings);
    }

    /// <summary>The version by the shepherd's rule, without checking that it can be written.</summary>
    public static CgroupVersion Version()
    {
        var controllers = Path.Combine(Root, "cgroup.controllers");
        if (File.Exists(controllers))
        {
            var list = File.ReadAllText(controllers);
            if (Listed(list, "memory") && Listed(list, "pids"))
            {
                return CgroupVersion.V2;
            }
        }

        return File.Exists(Path.Combine(Root, "memory", "cgroup.procs")) && File.Exists(Path.Combine(Root, "pids", "cgroup.procs"))
            ? CgroupVersion.V1
            : CgroupVersion.None;
    }

    private static bool Listed(string list, string controller) =>
        list.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Contains(controller, StringComparer.Ordinal);
}
