using Toolgrid.Bench.Machine;

namespace Toolgrid.Bench.Cgroups;

/// <summary>
/// Turns on cgroup v1's <c>favordynmods</c> for a while by mounting an empty named hierarchy
/// with it (the existing v1 hierarchies refuse to change flags on remount: "option or name
/// mismatch"), and unmounts it again.
/// </summary>
/// <remarks>
/// The flag is global in effect: it acts on the one <c>cgroup_threadgroup_rwsem</c> that every
/// hierarchy shares. Caution: from Linux 6.18 on, turning it on also switches attaches to a
/// per-threadgroup rwsem, and that part stays on until the next boot (the kernel logs "cgroup
/// favordynmods: per threadgroup rwsem mechanism can't be disabled" at the unmount).
/// </remarks>
internal sealed class FavorDynMods : IAsyncDisposable
{
    private readonly string _mountPoint;

    private FavorDynMods(string mountPoint) => _mountPoint = mountPoint;

    public static async Task<FavorDynMods> MountAsync(string mountPoint, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(mountPoint);
        var (code, output) = await ExternalCommand.RunAsync("mount", ["-t", "cgroup", "-o", "none,name=tgbench,favordynmods", "cgroup", mountPoint], cancellationToken);
        if (code != 0)
        {
            Directory.Delete(mountPoint);
            throw new InvalidOperationException($"mount -o favordynmods failed ({code}): {output.Trim()}");
        }

        return new FavorDynMods(mountPoint);
    }

    /// <summary>Unmounts the named hierarchy, if a leftover of an interrupted run is still mounted.</summary>
    public static async Task UnmountLeftoverAsync(string mountPoint, CancellationToken cancellationToken)
    {
        if (File.ReadLines("/proc/self/mounts").Any(l => l.Split(' ').ElementAtOrDefault(1) == mountPoint))
        {
            await ExternalCommand.RunAsync("umount", [mountPoint], cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        var (code, output) = await ExternalCommand.RunAsync("umount", [_mountPoint], CancellationToken.None);
        if (code != 0)
        {
            throw new InvalidOperationException($"umount {_mountPoint} failed ({code}): {output.Trim()}");
        }

        Directory.Delete(_mountPoint);
    }
}
