using System.Diagnostics;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>Runs a program with an argument list and returns its output; a failure is an exception naming the program.</summary>
internal static class Command
{
    public static string Run(string program, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            throw new InvalidOperationException($"{program} did not finish within 30 s");
        }

        return process.ExitCode == 0
            ? output.Result
            : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {error.Trim()}");
    }
}
