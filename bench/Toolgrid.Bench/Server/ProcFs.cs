using System.Globalization;

namespace Toolgrid.Bench.Server;

/// <summary>Reads processes from /proc: their command lines, owners, memory and CPU time.</summary>
internal static class ProcFs
{
    /// <summary>Every process's pid with its argv (empty for kernel threads and processes gone meanwhile).</summary>
    public static IEnumerable<(int Pid, string[] Argv)> Processes()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(directory, "cmdline"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            yield return (pid, text.Split('\0', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    /// <summary>The shepherds (and launchers) of the runs in <paramref name="runDirectory"/>: <c>tg-shepherd RUNDIR/ID</c>.</summary>
    public static List<int> Shepherds(string runDirectory) =>
        Processes()
            .Where(p => p.Argv.Length == 2 && Path.GetFileName(p.Argv[0]) == "tg-shepherd" && p.Argv[1].StartsWith(runDirectory + "/", StringComparison.Ordinal))
            .Select(p => p.Pid)
            .ToList();

    /// <summary>The real uid of a process, or null if it is gone.</summary>
    public static int? Uid(int pid)
    {
        var value = StatusField(pid, "Uid:");
        return value is null ? null : int.Parse(value.Split('\t', ' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>A "Name: value" line of /proc/PID/status, without the name; null if the process is gone.</summary>
    public static string? StatusField(int pid, string name)
    {
        try
        {
            return File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status")
                .Where(l => l.StartsWith(name, StringComparison.Ordinal))
                .Select(l => l[name.Length..].Trim())
                .FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A size field of /proc/PID/status (VmRSS, RssAnon…) in bytes; null if the process is gone.</summary>
    public static long? StatusBytes(int pid, string name) =>
        StatusField(pid, name + ":") is { } value ? long.Parse(value.Split(' ')[0], CultureInfo.InvariantCulture) * 1024 : null;

    /// <summary>The proportional set size (shared pages divided among their users), from smaps_rollup, in bytes.</summary>
    public static long? Pss(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/smaps_rollup")
                .Where(l => l.StartsWith("Pss:", StringComparison.Ordinal))
                .Select(l => long.Parse(l[4..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024)
                .FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>User + system CPU time of a process (its reaped children included), in seconds.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields from 3 (state) on: utime is 14, stime 15, cutime 16, cstime 17.
        var ticks = Enumerable.Range(14, 4).Sum(f => long.Parse(fields[f - 3], CultureInfo.InvariantCulture));
        return ticks / 100.0;
    }

    /// <summary>The machine's CPU counters (busy, total) in clock ticks, from the first line of /proc/stat.</summary>
    public static (long Busy, long Total) MachineCpu()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        var idle = fields[3] + fields[4];
        return (total - idle, total);
    }
}
