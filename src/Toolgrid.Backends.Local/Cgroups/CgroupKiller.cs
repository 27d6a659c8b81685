using System.Globalization;
using Toolgrid.Backends.Local.Native;

namespace Toolgrid.Backends.Local.Cgroups;

/// <summary>Ends whatever is left in a run's cgroups when its shepherd is gone, then removes them.</summary>
/// <remarks>
/// The same loop as the shepherd's: v2 writes <c>cgroup.kill</c>; v1 freezes the cgroup (so a
/// fork bomb cannot fork between reading <c>cgroup.procs</c> and the kills), SIGKILLs everything
/// listed, thaws it (a frozen task only dies once thawed), and repeats until it is empty.
/// </remarks>
internal static class CgroupKiller
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(10);

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

        var freezer = existing.Select(d => Path.Combine(d, "freezer.state")).FirstOrDefault(File.Exists);
        var killed = 0;
        for (var round = 0; ; round++)
        {
            if (Pids(existing).Count == 0)
            {
                break;
            }

            var frozen = freezer is not null && TryWrite(freezer, "FROZEN");
            foreach (var pid in Pids(existing))
            {
                if (Libc.Kill(pid, Libc.SigKill) == 0)
                {
                    killed++;
                }
            }

            if (frozen)
            {
                TryWrite(freezer!, "THAWED");
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
