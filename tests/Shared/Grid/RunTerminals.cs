using System.Text;
using Toolgrid.Core.Backends;

namespace Toolgrid.Tests.Grid;

/// <summary>Reading an interactive run's terminal, and finding its client among this host's processes.</summary>
public static class RunTerminals
{
    /// <summary>Reads into <paramref name="output"/> until what was read since the call has <paramref name="seen"/>; false when the output ended first, or <paramref name="patience"/> (if given) ran out.</summary>
    public static async Task<bool> ReadUntilAsync(IRunTerminal terminal, StringBuilder output, string seen, TimeSpan? patience = null)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(output);
        using var timeout = new CancellationTokenSource(patience ?? Eventually.Patience);
        var buffer = new byte[4096];
        var from = output.Length;
        try
        {
            while (output.ToString(from, output.Length - from).IndexOf(seen, StringComparison.Ordinal) < 0)
            {
                var read = await terminal.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return false;
                }

                output.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException) when (patience is not null)
        {
            return false;
        }

        return true;
    }

    /// <summary>Reads into <paramref name="output"/> until the run's output ends.</summary>
    public static async Task ReadToEndAsync(IRunTerminal terminal, StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(output);
        using var timeout = new CancellationTokenSource(Eventually.Patience);
        var buffer = new byte[4096];
        int read;
        while ((read = await terminal.ReadAsync(buffer, timeout.Token)) > 0)
        {
            output.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }

    /// <summary>Whether a process of this host has <paramref name="argument"/> among its arguments (an ended one, even unreaped, has no command line).</summary>
    public static bool ClientRuns(string argument)
    {
        var whole = "\0" + argument + "\0";
        return CommandLines().Any(line => ("\0" + line).Contains(whole, StringComparison.Ordinal));
    }

    /// <summary>
    /// Kills (SIGKILL) this host's processes of <paramref name="program"/> (the file name of their
    /// first argument) that have <paramref name="argument"/> among their arguments; how many.
    /// </summary>
    public static int KillClients(string program, string argument)
    {
        var killed = 0;
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), out var pid))
            {
                continue;
            }

            string[] words;
            try
            {
                words = File.ReadAllText(Path.Combine(process, "cmdline")).Split('\0');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (Path.GetFileName(words[0]) == program && words.Contains(argument))
            {
                using var found = System.Diagnostics.Process.GetProcessById(pid);
                found.Kill();
                killed++;
            }
        }

        return killed;
    }

    /// <summary>
    /// The command lines (arguments joined by spaces) of this host's processes that have
    /// <paramref name="text"/> anywhere in them; the test clusters' nodes share the host's
    /// processes, so theirs are among them.
    /// </summary>
    public static IReadOnlyList<string> CommandLinesWith(string text) =>
        CommandLines().Where(line => line.Contains(text, StringComparison.Ordinal)).Select(line => line.Replace('\0', ' ')).ToList();

    private static IEnumerable<string> CommandLines()
    {
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            string line;
            try
            {
                line = File.ReadAllText(Path.Combine(process, "cmdline"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not a process.
                continue;
            }

            yield return line;
        }
    }
}
