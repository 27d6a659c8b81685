using System.Diagnostics;

namespace Toolgrid.Bench.Scenarios;

/// <summary>A client program run once, as a user's submit is (<c>toolgrid jobs run</c>, <c>qsub</c>, <c>sbatch</c>): started, read, waited for, its exit checked.</summary>
internal static class ClientProcess
{
    /// <summary>Runs <paramref name="program"/> and returns its standard output; a non-zero exit is an error naming the command and what it printed.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, string? workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"'{program} {string.Join(' ', start.ArgumentList)}' exited with {process.ExitCode}: {await errors}{await output}");
    }
}
