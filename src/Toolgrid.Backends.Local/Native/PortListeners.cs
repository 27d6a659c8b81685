using System.Globalization;

namespace Toolgrid.Backends.Local.Native;

/// <summary>Who listens on a TCP port of this host: the LISTEN sockets of <c>/proc/net/tcp</c> and <c>tcp6</c>, and the processes holding them.</summary>
internal static class PortListeners
{
    private const string Listen = "0A";

    /// <summary>
    /// What listens on <paramref name="port"/> (on any address), in words: "process 4242 (nginx)",
    /// "process 4242 (python3) of run 17"; null when nothing does.
    /// </summary>
    public static string? Describe(int port, string cgroupParent)
    {
        var inodes = ListeningSockets(port);
        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (var (pid, inode) in SocketHolders())
        {
            if (inodes.Contains(inode))
            {
                var name = Read($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm")?.Trim() ?? "?";
                var run = RunOf(pid, cgroupParent) is { } runId ? $" of run {runId.ToString(CultureInfo.InvariantCulture)}" : "";
                return $"process {pid.ToString(CultureInfo.InvariantCulture)} ({name}){run}";
            }
        }

        return "a socket of a process toolgridd cannot see";
    }

    /// <summary>The inodes of the sockets listening on <paramref name="port"/>.</summary>
    private static HashSet<string> ListeningSockets(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        var wanted = port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in (Read(table) ?? "").Split('\n').Skip(1))
            {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == Listen && fields[1].EndsWith(":" + wanted, StringComparison.Ordinal))
                {
                    inodes.Add(fields[9]);
                }
            }
        }

        return inodes;
    }

    /// <summary>Every (process, socket inode) pair visible in <c>/proc/*/fd</c>.</summary>
    private static IEnumerable<(int Pid, string Inode)> SocketHolders() =>
        from pid in ProcDescriptors.Processes()
        from descriptor in ProcDescriptors.Of(pid)
        where descriptor.Target.StartsWith("socket:[", StringComparison.Ordinal) && descriptor.Target.EndsWith(']')
        select (pid, descriptor.Target["socket:[".Length..^1]);

    /// <summary>The run whose cgroup (<c>…/&lt;parent&gt;/run-&lt;id&gt;</c>) the process is in, if any.</summary>
    private static long? RunOf(int pid, string cgroupParent)
    {
        var marker = "/" + cgroupParent + "/run-";
        foreach (var line in (Read($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cgroup") ?? "").Split('\n'))
        {
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && long.TryParse(line[(at + marker.Length)..], NumberStyles.None, CultureInfo.InvariantCulture, out var runId))
            {
                return runId;
            }
        }

        return null;
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
