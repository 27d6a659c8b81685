using System.Globalization;
using Toolgrid.Bench.Scenarios;
using Toolgrid.Bench.Stats;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Bench.Supervision;

/// <summary>
/// The first restart of a continuous job, isolated, again and again: each sample is a new job
/// whose first run exits 1 at once and whose second run sleeps. Measured from the first run's
/// <c>finishedAt</c> (the shepherd's waitpid) to the second run's <c>startedAt</c> (its shepherd,
/// just before the fork), both on this host's clock, and split at the second run's <c>submittedAt</c>
/// (the controller queued it).
/// </summary>
internal static class RestartLatencyScenario
{
    public static async Task<RestartLatencyResult> RunAsync(BenchContext context, string prefix, int samples, TimeSpan gap, CancellationToken cancellationToken)
    {
        var exitToStart = new List<double>();
        var exitToQueued = new List<double>();
        var names = new List<string>();
        for (var i = 0; i < samples; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D4}");
            names.Add(name);
            await context.Client.RunJobAsync(
                context.Tool,
                new JobRunRequest
                {
                    Name = name,
                    Continuous = true,
                    Command = $"mkdir .{name} 2>/dev/null && exit 1; exec sleep 3600",
                    Mem = "32Mi",
                    Cpu = "10m",
                    Filelog = false,
                },
                cancellationToken);

            JobView? job = null;
            await context.WaitUntilAsync(
                async () =>
                {
                    job = await context.Client.GetJobAsync(context.Tool, name, cancellationToken);
                    return job.Runs.Count >= 2 && job.Runs[0].StartedAt is not null;
                },
                TimeSpan.FromMilliseconds(20),
                TimeSpan.FromSeconds(30),
                $"the restart of {name}",
                cancellationToken);

            var second = job!.Runs[0];
            var first = job.Runs[1];
            if (first.FinishedAt is not { } exited || first.ExitCode != 1)
            {
                throw new InvalidOperationException($"{name}: the first run did not exit 1 ({first.State}, {first.Message})");
            }

            exitToStart.Add((second.StartedAt!.Value - exited).TotalMilliseconds);
            exitToQueued.Add((second.SubmittedAt - exited).TotalMilliseconds);
            await Task.Delay(gap, context.Time, cancellationToken);
        }

        var stopping = context.Time.GetTimestamp();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (name, token) =>
            await context.Client.DeleteJobAsync(context.Tool, name, token));
        await context.WaitUntilAsync(async () => await context.ActiveRunsAsync(cancellationToken) == 0, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2), "the end of the deleted restart-latency jobs", cancellationToken);
        return new RestartLatencyResult(Distribution.Of(exitToStart), Distribution.Of(exitToQueued), context.Time.GetElapsedTime(stopping).TotalSeconds);
    }
}
