using System.Diagnostics;

namespace Toolgrid.Accounts.Tests;

/// <summary>What a program printed and how it ended.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}; stdout: {Stdout.Trim()}; stderr: {Stderr.Trim()}";
}

/// <summary>Runs programs for the tests (getent, setpriv, stat, useradd…), as argument lists.</summary>
public static class Command
{
    public static CommandResult Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within 2 minutes");
        }

        return new CommandResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs it and fails the test unless it exits 0.</summary>
    public static string Succeed(string program, params string[] arguments)
    {
        var result = Run(program, arguments);
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {result}");
        return result.Stdout;
    }

    /// <summary>Runs a shell script as another user, with that user's groups and a clean environment.</summary>
    public static CommandResult RunAs(int uid, int gid, string script, params string[] arguments) =>
        Run("/usr/bin/setpriv", [$"--reuid={uid}", $"--regid={gid}", "--init-groups", "--reset-env", "--", "/bin/sh", "-c", script, "sh", .. arguments]);
}
