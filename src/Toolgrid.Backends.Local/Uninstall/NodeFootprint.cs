using System.Globalization;
using Toolgrid.Backends.Local.Cgroups;
using Toolgrid.Backends.Local.Isolation;
using Toolgrid.Backends.Local.Protocol;

namespace Toolgrid.Backends.Local.Uninstall;

/// <summary>
/// What the local backend leaves on a host once toolgridd is stopped, for <c>toolgridd
/// uninstall</c>: the cgroup parent in each hierarchy, the notify socket, the private
/// <c>/tmp</c> of runs whose shepherd died. Runs still alive under their shepherds (which
/// outlive toolgridd) are found first: nothing of theirs may be removed.
/// </summary>
public static class NodeFootprint
{
    /// <summary>The runs whose shepherd is alive, and cgroups of the parent that still hold processes, in words.</summary>
    public static IReadOnlyList<string> AliveRuns(string runDirectory, string cgroupParent)
    {
        ArgumentNullException.ThrowIfNull(cgroupParent);
        var alive = new List<string>();
        foreach (var run in Runs(runDirectory))
        {
            if (run.IsLockHeld())
            {
                var state = run.Read();
                var user = (run as RunFile)?.ReadContents()?.Spec?["user"].FirstOrDefault() ?? "?";
                var shepherd = state.Started?.ShepherdPid ?? state.Waiting?.ShepherdPid;
                alive.Add($"run {run.RunId.ToString(CultureInfo.InvariantCulture)} of {user} (shepherd pid {(shepherd is { } pid ? pid.ToString(CultureInfo.InvariantCulture) : "?")})");
            }
        }

        foreach (var parent in CgroupParents(cgroupParent).Where(Directory.Exists))
        {
            foreach (var cgroup in Directory.EnumerateDirectories(parent, "run-*"))
            {
                if (CgroupKiller.Pids([cgroup]).Count > 0)
                {
                    alive.Add($"cgroup {cgroup} (its processes: {string.Join(' ', CgroupKiller.Pids([cgroup]))})");
                }
            }
        }

        return alive;
    }

    /// <summary>
    /// Removes the cgroup parent (its empty <c>run-*</c> children first, then each part of the
    /// parent's path that is empty), the notify socket and the private <c>/tmp</c> directories of
    /// ended runs. Call only when <see cref="AliveRuns"/> found none.
    /// </summary>
    /// <returns>What was removed, and what could not be, in words.</returns>
    public static (IReadOnlyList<string> Removed, IReadOnlyList<string> Problems) Remove(string runDirectory, string cgroupParent, string? notifySocketPath)
    {
        ArgumentNullException.ThrowIfNull(cgroupParent);
        var removed = new List<string>();
        var problems = new List<string>();
        foreach (var parent in CgroupParents(cgroupParent).Where(Directory.Exists))
        {
            var parts = cgroupParent.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;
            try
            {
                foreach (var cgroup in Directory.EnumerateDirectories(parent, "run-*"))
                {
                    Directory.Delete(cgroup);
                }

                // The parent's own path, from the leaf up, while each part is empty.
                var path = parent;
                for (var i = 0; i < parts && Directory.Exists(path) && !Directory.EnumerateDirectories(path).Any(); i++)
                {
                    Directory.Delete(path);
                    removed.Add($"the cgroup {path}");
                    path = Path.GetDirectoryName(path)!;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"cannot remove the cgroup {parent}: {e.Message}");
            }
        }

        var socket = notifySocketPath ?? Path.Combine(runDirectory, "notify.sock");
        if (File.Exists(socket))
        {
            File.Delete(socket);
            removed.Add($"the notify socket {socket}");
        }

        foreach (var run in Runs(runDirectory))
        {
            var state = run.Read();
            var directories = (state.Started?.PrivateTmp ?? []).Concat(state.Waiting?.PrivateTmp ?? []).Where(Directory.Exists).ToList();
            var failed = PrivateTmp.Remove(directories);
            problems.AddRange(failed);
            removed.AddRange(directories.Where(d => !Directory.Exists(d)).Select(d => $"the private /tmp {d} of run {run.RunId.ToString(CultureInfo.InvariantCulture)}"));
        }

        return (removed, problems);
    }

    private static IEnumerable<string> CgroupParents(string cgroupParent)
    {
        // v2's unified root, and every v1 hierarchy the shepherd may have used.
        yield return Path.Combine(CgroupDetector.Root, cgroupParent);
        foreach (var hierarchy in CgroupDetector.V1Hierarchies.Concat(["freezer", "unified"]))
        {
            yield return Path.Combine(CgroupDetector.Root, hierarchy, cgroupParent);
        }
    }

    private static IEnumerable<RunEntry> Runs(string runDirectory)
    {
        if (!Directory.Exists(runDirectory))
        {
            yield break;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(runDirectory))
        {
            if (RunEntry.TryParseRunId(Path.GetFileName(entry), out var runId) && RunEntry.Find(runDirectory, runId) is { } run)
            {
                yield return run;
            }
        }
    }
}
