using Toolgrid.Bench.Machine;
using Toolgrid.Bench.Native;

namespace Toolgrid.Bench.Server;

/// <summary>
/// Removes what a benchmark run leaves behind, or left behind when it was interrupted: its
/// toolgridd and shepherds, the tool's processes, Unix users and groups, cgroups, sudoers
/// drop-in and directory. Everything is found by the run's own names (<see cref="BenchNames"/>:
/// <c>tgb&lt;id&gt;.</c>, <c>tgbm&lt;id&gt;</c>, <c>toolgrid-bench-&lt;id&gt;</c>, <c>/var/lib/tgbench-&lt;id&gt;</c>), and
/// processes are ended by pid. Callers hold <see cref="BenchNames.HostLock"/>.
/// </summary>
internal static class Leftovers
{
    private static readonly string[] V1Hierarchies = ["pids", "memory", "cpu", "freezer", "cpuacct"];

    /// <summary>
    /// Removes the leftovers of every run that is no longer running: one whose lock
    /// (<see cref="BenchNames.LockFile"/>) can be taken, or that has no directory left. Live runs,
    /// which hold their lock, are not touched, nor directories without a lock file.
    /// </summary>
    public static async Task RemoveDeadAsync(CancellationToken cancellationToken)
    {
        var found = BenchNames.Found(
            Accounts("tgb", "/etc/passwd").Concat(Accounts("tgb", "/etc/group")).Select(a => a.Name),
            CgroupRoots().SelectMany(Directory.GetDirectories).Select(Path.GetFileName).OfType<string>(),
            Directory.GetDirectories(BenchNames.TempRoot, BenchNames.RunPrefix + "*").Select(Path.GetFileName).OfType<string>(),
            Directory.Exists("/etc/sudoers.d") ? Directory.GetFiles("/etc/sudoers.d", "tgbench-*").Select(Path.GetFileName).OfType<string>() : []);
        foreach (var id in found)
        {
            var run = BenchNames.Of(id);

            // A directory without its lock file was not made by a claim (RunClaim makes both under
            // the host lock): a run of an older bench, which may well be running; it is left alone.
            if (Directory.Exists(run.Root) && !File.Exists(run.LockFile))
            {
                continue;
            }

            using var held = Directory.Exists(run.Root) ? FileLock.TryTake(run.LockFile) : null;
            if (held is null && Directory.Exists(run.Root))
            {
                continue;
            }

            await Console.Error.WriteLineAsync($"toolgrid-bench: removing the leftovers of run {id}, which is no longer running");
            await RemoveAsync(run, cancellationToken);
        }
    }

    /// <summary>Removes everything of the run named <paramref name="names"/>, its directory last (which marks it as a run's until then).</summary>
    public static async Task RemoveAsync(BenchNames names, CancellationToken cancellationToken)
    {
        var uids = Accounts(names.UnixUserPrefix, "/etc/passwd").Select(a => a.Id).ToHashSet();

        // Processes first: toolgridd and shepherds of the run's directory, and anything its tools run.
        for (var round = 0; round < 5; round++)
        {
            var doomed = ProcFs.Processes()
                .Where(p => p.Pid != Environment.ProcessId && (Ours(p.Argv, names) || (ProcFs.Uid(p.Pid) is { } uid && uids.Contains(uid))))
                .Select(p => p.Pid)
                .ToList();
            if (doomed.Count == 0)
            {
                break;
            }

            foreach (var pid in doomed)
            {
                Posix.Kill(pid, Posix.SigKill);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, cancellationToken);
        }

        foreach (var directory in CgroupDirectories(names.CgroupParent).Concat(CgroupDirectories(names.ProbeCgroupParent)))
        {
            await RemoveCgroupTreeAsync(directory, cancellationToken);
        }

        foreach (var (name, _) in Accounts(names.UnixUserPrefix, "/etc/passwd"))
        {
            await ExternalCommand.RunAsync("userdel", [name], cancellationToken);
        }

        foreach (var (name, _) in Accounts(names.UnixUserPrefix, "/etc/group"))
        {
            await ExternalCommand.RunAsync("groupdel", [name], cancellationToken);
        }

        if (Accounts(names.PersonName, "/etc/passwd").Any(a => a.Name == names.PersonName))
        {
            await ExternalCommand.RunAsync("userdel", [names.PersonName], cancellationToken);
        }

        if (Accounts(names.PersonName, "/etc/group").Any(a => a.Name == names.PersonName))
        {
            await ExternalCommand.RunAsync("groupdel", [names.PersonName], cancellationToken);
        }

        File.Delete(names.SudoersFile);
        if (Directory.Exists(names.Root))
        {
            await FavorDynModsLeftoverAsync(names.Root, cancellationToken);
            try
            {
                Directory.Delete(names.Root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"toolgrid-bench: cannot remove {names.Root}: {e.Message}");
            }
        }
    }

    /// <summary>What is left in the benchmark's cgroups: run-* directories, the parent itself.</summary>
    public static List<string> CgroupDirectories(string parent)
    {
        var found = new List<string>();
        foreach (var hierarchy in CgroupRoots())
        {
            var directory = Path.Combine(hierarchy, parent);
            if (Directory.Exists(directory))
            {
                found.Add(directory);
            }
        }

        return found;
    }

    private static IEnumerable<string> CgroupRoots() =>
        V1Hierarchies.Select(h => Path.Combine("/sys/fs/cgroup", h)).Append("/sys/fs/cgroup").Append("/sys/fs/cgroup/unified").Where(Directory.Exists);

    private static async Task FavorDynModsLeftoverAsync(string directory, CancellationToken cancellationToken) =>
        await Cgroups.FavorDynMods.UnmountLeftoverAsync(Path.Combine(directory, "favordynmods"), cancellationToken);

    private static bool Ours(string[] argv, BenchNames names) =>
        argv.Length > 1 && argv.Skip(1).Any(a => a == names.Root || a.StartsWith(names.Root + "/", StringComparison.Ordinal))
        && (Path.GetFileName(argv[0]) is "tg-shepherd" or "toolgridd" || argv.Any(a => a.EndsWith("toolgridd.dll", StringComparison.Ordinal)));

    private static async Task RemoveCgroupTreeAsync(string directory, CancellationToken cancellationToken)
    {
        foreach (var child in Directory.GetDirectories(directory))
        {
            await RemoveCgroupTreeAsync(child, cancellationToken);
        }

        // Whatever still runs in it (a shepherd killed above leaves its job behind) goes first.
        var procs = Path.Combine(directory, "cgroup.procs");
        if (File.Exists(procs))
        {
            foreach (var line in File.ReadAllLines(procs))
            {
                if (int.TryParse(line, out var pid))
                {
                    Posix.Kill(pid, Posix.SigKill);
                }
            }
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(directory);
                return;
            }
            catch (IOException) when (attempt < 50)
            {
                // Busy until the killed processes have exited.
                await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, cancellationToken);
            }
        }
    }

    private static List<(string Name, int Id)> Accounts(string prefix, string file) =>
        File.ReadLines(file)
            .Select(l => l.Split(':'))
            .Where(f => f.Length > 2 && f[0].StartsWith(prefix, StringComparison.Ordinal))
            .Select(f => (f[0], int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
}
