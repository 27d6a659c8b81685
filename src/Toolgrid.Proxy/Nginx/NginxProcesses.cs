using System.Globalization;
using Toolgrid.Native;

namespace Toolgrid.Proxy.Nginx;

/// <summary>
/// What /proc says of an nginx master: whether a pid is really the master of a given
/// configuration (its binary, its command line, the leader of its own process group), and
/// whether anything of its process group is still alive. Never a signal to a process it has
/// not recognised.
/// </summary>
internal static class NginxProcesses
{
    /// <summary>
    /// Whether <paramref name="pid"/> is an nginx master started by a data plane with
    /// <paramref name="configPath"/>: its executable is <paramref name="nginxPath"/>, its command
    /// line gives <c>-c CONFIG</c> (as started, or as nginx rewrites it: "nginx: master process
    /// /usr/sbin/nginx ... -c CONFIG"), and it leads its own process group (setsid).
    /// </summary>
    public static bool IsMasterOf(int pid, string nginxPath, string configPath)
    {
        if (pid <= 1)
        {
            return false;
        }

        var proc = "/proc/" + pid.ToString(CultureInfo.InvariantCulture);
        try
        {
            var exe = new FileInfo(proc + "/exe").LinkTarget;
            var binary = new FileInfo(nginxPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? nginxPath;
            if (exe is null || (exe != binary && exe != binary + " (deleted)"))
            {
                return false;
            }

            var words = File.ReadAllText(proc + "/cmdline").Replace('\0', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var config = false;
            for (var i = 0; i + 1 < words.Length; i++)
            {
                config |= words[i] == "-c" && words[i + 1] == configPath;
            }

            return config && Stat(pid) is { State: not 'Z' } stat && stat.Group == pid;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone meanwhile, or not ours to read.
            return false;
        }
    }

    /// <summary>Whether a process of group <paramref name="group"/> is alive (zombies, which hold nothing, are not).</summary>
    public static bool GroupAlive(int group)
    {
        if (LibC.Kill(-group, 0) != 0)
        {
            return false;
        }

        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(pid) is { State: not 'Z' } stat
                && stat.Group == group)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Its state letter and process group, from /proc/PID/stat; null when it is gone.</summary>
    private static (char State, int Group)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "PID (COMM) STATE PPID PGRP ...": COMM may hold spaces and parentheses, so from its last ')'.
        var fields = text[(text.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 3 && int.TryParse(fields[2], CultureInfo.InvariantCulture, out var group) ? (fields[0][0], group) : null;
    }
}
