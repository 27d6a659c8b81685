using System.Diagnostics;
using System.Globalization;
using Toolgrid.Bench.Floor;

namespace Toolgrid.Bench.Scenarios;

/// <summary>
/// Submit to the command's own clock, measured as the grid engines are (<c>qsub</c> or
/// <c>sbatch</c> of a script that prints <c>date +%s%N</c>): one new CLI process per submit
/// (<c>toolgrid jobs run NAME --command 'exec date +%s%N'</c>, as a user types it), isolated
/// submits, and the time from just before the process is started to the clock the command
/// printed. Nothing is subtracted: the CLI's own start, its connection and date's exec are in it.
/// </summary>
internal static class CliScenario
{
    public const string Command = "exec date +%s%N";

    public static async Task<List<CliSample>> RunAsync(BenchContext context, string cli, string prefix, int count, TimeSpan gap, CancellationToken cancellationToken)
    {
        var samples = new List<CliSample>(count);
        var home = context.Server.HomeOf(context.Tool);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                await Task.Delay(gap, context.Time, cancellationToken);
            }

            var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D4}");
            var start = new ProcessStartInfo(cli)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "jobs", "run", name, "--tool", context.Tool, "--command", Command })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["TOOLGRID_API"] = "unix:" + context.Server.Socket;
            var spawnedAt = context.Time.GetUtcNow();
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{cli} did not start");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var exitedAt = context.Time.GetUtcNow();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"'{cli} jobs run {name}' exited with {process.ExitCode}: {await errors}{await output}");
            }

            Contracts.Api.JobView view;
            do
            {
                view = await context.Client.WaitForJobAsync(context.Tool, name, TimeSpan.FromSeconds(30), cancellationToken);
            }
            while (!view.Finished);

            var file = Path.Combine(home, name + ".out");
            DateTimeOffset? execAt = File.Exists(file) && (await File.ReadAllTextAsync(file, cancellationToken)).Trim() is { Length: > 0 } text
                ? UnixNanoseconds.Parse(text)
                : null;
            samples.Add(new CliSample(name, spawnedAt, exitedAt, execAt));
        }

        return samples;
    }
}
