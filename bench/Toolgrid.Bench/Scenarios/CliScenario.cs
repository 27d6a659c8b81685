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
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                await Task.Delay(gap, context.Time, cancellationToken);
            }

            var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D4}");
            samples.Add(await SubmitOneAsync(context, cli, name, cancellationToken));
        }

        return samples;
    }

    /// <summary>One submit through a new CLI process, waited for until the job has finished.</summary>
    public static async Task<CliSample> SubmitOneAsync(BenchContext context, string cli, string name, CancellationToken cancellationToken)
    {
        var home = context.Server.HomeOf(context.Tool);
        var spawnedAt = context.Time.GetUtcNow();
        await ClientProcess.RunAsync(
            cli,
            ["jobs", "run", name, "--tool", context.Tool, "--command", Command],
            new Dictionary<string, string> { ["TOOLGRID_API"] = "unix:" + context.Server.Socket },
            null,
            cancellationToken);
        var exitedAt = context.Time.GetUtcNow();

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
        return new CliSample(name, spawnedAt, exitedAt, execAt);
    }
}
