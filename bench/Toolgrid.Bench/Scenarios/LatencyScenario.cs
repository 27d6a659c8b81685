using System.Globalization;
using Toolgrid.Bench.Floor;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Bench.Scenarios;

/// <summary>
/// Submit-to-start latency: one-off jobs submitted one at a time, each after the previous one
/// has started (and, running <c>true</c>, ended), with a pause between them so that each start
/// is an isolated one, as a user's occasional submit is.
/// </summary>
internal static class LatencyScenario
{
    public static async Task<List<LatencySample>> RunAsync(BenchContext context, string prefix, int count, TimeSpan gap, string command, CancellationToken cancellationToken)
    {
        var samples = new List<LatencySample>(count);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                await Task.Delay(gap, context.Time, cancellationToken);
            }

            var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D4}");
            var sentAt = context.Time.GetUtcNow();
            var view = await context.Client.RunJobAsync(context.Tool, new JobRunRequest { Name = name, Command = command }, cancellationToken);
            var answeredAt = context.Time.GetUtcNow();
            while (!view.Finished)
            {
                view = await context.Client.WaitForJobAsync(context.Tool, name, TimeSpan.FromSeconds(30), cancellationToken);
            }

            var run = view.Runs[0];
            samples.Add(new LatencySample(name, run.Id, run.State, sentAt, answeredAt, run.SubmittedAt, run.StartedAt, run.FinishedAt));
        }

        var launches = context.Server.Log.Launches();
        return samples.Select(s => s with { Launch = launches.GetValueOrDefault(s.RunId) }).ToList();
    }

    /// <summary>Jobs that print their own clock (<c>exec date +%s%N</c>) into their .out file: when the command really began.</summary>
    public static async Task<List<LatencySample>> RunExecAsync(BenchContext context, string prefix, int count, TimeSpan gap, TimeSpan dateOffset, CancellationToken cancellationToken)
    {
        var samples = await RunAsync(context, prefix, count, gap, "exec date +%s%N", cancellationToken);
        var home = context.Server.HomeOf(context.Tool);
        return samples.Select(s =>
        {
            var output = Path.Combine(home, s.Job + ".out");
            return File.Exists(output) && File.ReadAllText(output).Trim() is { Length: > 0 } text
                ? s with { ExecAt = UnixNanoseconds.Parse(text) - dateOffset }
                : s;
        }).ToList();
    }
}
