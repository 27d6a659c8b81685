using System.Globalization;
using Toolgrid.Core.Health;

namespace Toolgrid.Tests.Grid;

/// <summary>What the health loop of a job script does, seen from outside: its result file, its processes.</summary>
public static class HealthResults
{
    /// <summary>The first result in <paramref name="file"/> that <paramref name="wanted"/> takes.</summary>
    public static Task<ScriptResult> FoundAsync(string file, Func<ScriptResult, bool> wanted) =>
        Eventually.FoundAsync($"a wanted result in {file}", () =>
            Task.FromResult(File.Exists(file) && ScriptResult.Parse(File.ReadAllBytes(file)) is { } found && wanted(found) ? found : null));

    /// <summary>The parent of <paramref name="pid"/>, from <c>/proc/PID/stat</c>; 0 when it has gone.</summary>
    public static int Parent(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Waits until <paramref name="pid"/> has ended: gone, or a zombie (this host's PID 1 reaps late).</summary>
    public static Task EndedAsync(int pid) =>
        Eventually.FoundAsync($"the end of process {pid}", () => Task.FromResult(Ended(pid) ? "ended" : null));

    /// <summary>The PID written in <paramref name="file"/>.</summary>
    public static int Pid(string file) => int.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture);

    private static bool Ended(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
