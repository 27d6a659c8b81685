namespace Toolgrid.Backends.Local.Cgroups;

/// <summary>Which cgroups the local backend puts runs in, as detected at start.</summary>
public enum CgroupVersion
{
    /// <summary>No usable cgroups: runs have no memory, CPU or process limits (see <see cref="LocalBackend.Warnings"/>).</summary>
    None,

    /// <summary>cgroup v1: the memory, pids and cpu hierarchies under /sys/fs/cgroup.</summary>
    V1,

    /// <summary>cgroup v2: the unified hierarchy at /sys/fs/cgroup with the memory and pids controllers.</summary>
    V2,
}
