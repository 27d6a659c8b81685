using System.Globalization;

namespace Toolgrid.Backends.Local.Native;

/// <summary>Reads <c>/proc/PID/stat</c>.</summary>
internal static class ProcStat
{
    /// <summary>
    /// The process's start time in clock ticks since boot (field 22), or null when there is no such
    /// process. With the PID it names one process for the life of the host: a recycled PID has
    /// another start time.
    /// </summary>
    public static long? StartTime(int pid) =>
        Fields(pid) is { Length: > 19 } fields && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : null;

    /// <summary>The process state letter (field 3): R, S, D, Z…; null when there is no such process.</summary>
    public static char? State(int pid) => Fields(pid) is { Length: > 0 } fields && fields[0].Length > 0 ? fields[0][0] : null;

    /// <summary>The process's parent (field 4), or null when there is no such process.</summary>
    public static int? Parent(int pid) =>
        Fields(pid) is { Length: > 1 } fields && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) ? parent : null;

    /// <summary>The fields from the third on (the state first); null when there is no such process.</summary>
    private static string[]? Fields(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
        var end = stat.LastIndexOf(')');
        return end < 0 || end + 2 > stat.Length ? null : stat[(end + 2)..].Split(' ');
    }
}
