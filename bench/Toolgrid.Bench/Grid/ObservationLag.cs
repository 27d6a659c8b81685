using System.Globalization;
using Toolgrid.Bench.Floor;
using Toolgrid.Bench.Scenarios;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Bench.Grid;

/// <summary>
/// How long after a run's command starts, and after it ends, by its own clock on its node, the
/// store says so: one-off jobs that print <c>date +%s%N</c> as their first and last act (a second
/// apart), each watched through the API every <see cref="Poll"/> until the store shows it
/// running, then ended. One job at a time, so that each lag is the watch's and not a queue's.
/// </summary>
internal static class ObservationLag
{
    /// <summary>How often the API is read: every lag is late by up to this much.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    public static async Task<List<LagSample>> RunAsync(BenchContext context, int count, CancellationToken cancellationToken)
    {
        var home = context.Server.HomeOf(context.Tool);
        var samples = new List<LagSample>(count);
        for (var i = 0; i < count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"obs-{i:D4}");
            await context.Client.RunJobAsync(
                context.Tool,
                new JobRunRequest { Name = name, Command = $"date +%s%N > {name}.start; sleep 1; date +%s%N > {name}.end", Filelog = false },
                cancellationToken);

            DateTimeOffset? seenRunning = null;
            DateTimeOffset? seenEnded = null;
            var begun = context.Time.GetTimestamp();
            while (seenEnded is null && context.Time.GetElapsedTime(begun) < TimeSpan.FromMinutes(2))
            {
                var runs = (await context.Client.GetJobAsync(context.Tool, name, cancellationToken)).Runs;
                var run = runs.Count > 0 ? runs[0] : null;
                var now = context.Time.GetUtcNow();
                seenRunning ??= run?.StartedAt is not null ? now : null;
                seenEnded = run?.FinishedAt is not null ? now : null;
                await Task.Delay(Poll, context.Time, cancellationToken);
            }

            samples.Add(new LagSample(name, Clock(home, name + ".start"), seenRunning, Clock(home, name + ".end"), seenEnded));
        }

        return samples;
    }

    private static DateTimeOffset? Clock(string home, string file)
    {
        var path = Path.Combine(home, file);
        return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } text ? UnixNanoseconds.Parse(text) : null;
    }
}
