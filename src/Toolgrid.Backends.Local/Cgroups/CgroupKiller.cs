using System.Globalization;
using Toolgrid.Native;

namespace Toolgrid.Backends.Local.Cgroups;

/// <summary>Ends whatever is left in a run's cgroups when its shepherd is gone, then removes them.</summary>
/// <remarks>
/// The same loop as the shepherd's: v2 writes <c>cgroup.kill</c>; then, while anything is left,
/// the run's forks are fenced (<c>pids.max</c> set to 0, so a fork bomb cannot fork between
/// reading <c>cgroup.procs</c> and the kills), everything listed is SIGKILLed, and the loop repeats
/// until the cgroups are empty. No freezer: a frozen task only dies once thawed, and the fence
/// does the freezer's work without a cgroup per run.
/// </remarks>
internal static class CgroupKiller
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(10);

    /// <summary>
    /// SIGTERM to every process in the cgroups, then, for what is left after
    /// <paramref name="gracePeriod"/>, <see cref="KillAndRemoveAsync"/>. Returns how many processes
    /// were sent SIGTERM.
    /// </summary>
    public static async Task<int> StopAndRemoveAsync(IReadOnlyList<string> directories, TimeSpan gracePeriod, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var pids = Pids(directories);
        var termed = pids.Count(pid => LibC.Kill(pid, LibC.SigTerm) == 0);
        var started = timeProvider.GetTimestamp();
        while (Pids(directories).Count > 0 && timeProvider.GetElapsedTime(started) < gracePeriod)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeProvider, cancellationToken);
        }

        await KillAndRemoveAsync(directories, timeProvider, cancellationToken);
        return termed;
    }

    /// <summary>Returns how many processes were sent SIGKILL.</summary>
    public static async Task<int> KillAndRemoveAsync(IReadOnlyList<string> directories, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var existing = directories.Where(Directory.Exists).ToList();
        if (existing.Count == 0)
        {
            return 0;
        }

        var started = timeProvider.GetTimestamp();
        var killFile = existing.Select(d => Path.Combine(d, "cgroup.kill")).FirstOrDefault(File.Exists);
        if (killFile is not null)
        {
            TryWrite(killFile, "1");
        }

        // A run of the earlier protocol had a freezer cgroup; its shepherd may have died with it frozen.
        foreach (var freezer in existing.Select(d => Path.Combine(d, "freezer.state")).Where(File.Exists))
        {
            TryWrite(freezer, "THAWED");
        }

        var fence = existing.Select(d => Path.Combine(d, "pids.max")).FirstOrDefault(File.Exists);
        var fenced = false;
        var killed = 0;
        for (var round = 0; ; round++)
        {
            if (Pids(existing).Count == 0)
            {
                break;
            }

            fenced = fenced || (fence is not null && TryWrite(fence, "0"));
            foreach (var pid in Pids(existing))
            {
                if (LibC.Kill(pid, LibC.SigKill) == 0)
                {
                    killed++;
                }
            }

            if (timeProvider.GetElapsedTime(started) > GiveUpAfter)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(20, 1 << Math.Min(round, 5))), timeProvider, cancellationToken);
        }

        foreach (var directory in existing)
        {
            try
            {
                Directory.Delete(directory, recursive: false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Still busy (a task that will not die) or already gone: the next scan tries again.
            }
        }

        return killed;
    }

    /// <summary>The processes in the cgroups, or none when they are gone.</summary>
    public static IReadOnlyList<int> Pids(IEnumerable<string> directories)
    {
        var pids = new HashSet<int>();
        foreach (var directory in directories)
        {
            try
            {
                foreach (var line in File.ReadAllLines(Path.Combine(directory, "cgroup.procs")))
                {
                    if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0)
                    {
                        pids.Add(pid);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The cgroup was removed meanwhile.
            }
        }

        return [.. pids];
    }

    private static bool TryWrite(string path, string value)
    {
        try
        {
            File.WriteAllText(path, value);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
