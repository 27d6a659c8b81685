using System.Diagnostics;
using System.Text;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>What a finished program said.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs programs with argument lists (never a shell) and a timeout that only catches hangs.</summary>
public static class Command
{
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, TimeSpan? timeout = null, string? stdin = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in {timeout ?? TimeSpan.FromMinutes(2)}:\n{stdout}\n{stderr}");
        }

        process.WaitForExit();
        return new CommandResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs a program and fails the test if it does not exit 0.</summary>
    public static async Task<string> MustAsync(string file, params string[] arguments)
    {
        var result = await RunAsync(file, arguments);
        Assert.True(result.ExitCode == 0, $"{file} {string.Join(' ', arguments)} failed: {result}");
        return result.Stdout;
    }
}
