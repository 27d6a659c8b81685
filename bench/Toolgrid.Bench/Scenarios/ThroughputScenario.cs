using System.Collections.Concurrent;
using System.Globalization;
using Toolgrid.Bench.Server;
using Toolgrid.Bench.Stats;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Bench.Scenarios;

/// <summary>Sustained throughput: many jobs running <c>true</c>, submitted as fast as the API takes them by a few concurrent submitters.</summary>
internal static class ThroughputScenario
{
    public static async Task<ThroughputResult> RunAsync(BenchContext context, string prefix, int jobs, int submitters, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var sent = new ConcurrentBag<DateTimeOffset>();
        var answered = new ConcurrentBag<DateTimeOffset>();
        var next = -1;
        var cpu = CpuMeter.Start(context.Server);

        var tasks = Enumerable.Range(0, submitters).Select(_ => Task.Run(
            async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < jobs)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D4}");
                    sent.Add(context.Time.GetUtcNow());
                    await context.Client.RunJobAsync(context.Tool, new JobRunRequest { Name = name, Command = "true" }, cancellationToken);
                    answered.Add(context.Time.GetUtcNow());
                }
            },
            cancellationToken)).ToList();
        await Task.WhenAll(tasks);

        // Polled gently: a tight poll would compete with the controller for the two cores.
        var threads = 0;
        await context.WaitUntilAsync(
            async () =>
            {
                threads = Math.Max(threads, int.Parse(ProcFs.StatusField(context.Server.Pid, "Threads:") ?? "0", CultureInfo.InvariantCulture));
                return await context.ActiveRunsAsync(cancellationToken) == 0;
            },
            TimeSpan.FromMilliseconds(250),
            timeout ?? TimeSpan.FromMinutes(5),
            $"the end of {jobs} runs",
            cancellationToken);
        var shares = cpu.Stop();

        var views = (await context.Client.ListJobsAsync(context.Tool, cancellationToken))
            .Where(j => j.Name.StartsWith(prefix + "-", StringComparison.Ordinal) && j.Runs.Count > 0)
            .Select(j => j.Runs[0])
            .ToList();
        if (views.Count != jobs)
        {
            throw new InvalidOperationException($"{views.Count} of {jobs} throughput jobs were found with a run");
        }

        var first = sent.Min();
        var started = views.Select(r => r.StartedAt ?? DateTimeOffset.MaxValue).ToList();
        var finished = views.Select(r => r.FinishedAt ?? DateTimeOffset.MaxValue).Order().ToList();
        var p10 = finished[(int)(0.1 * jobs)];
        var p90 = finished[(int)(0.9 * jobs) - 1];
        var launches = context.Server.Log.Launches();
        var ours = views.Select(v => launches.GetValueOrDefault(v.Id)).OfType<LaunchRecord>().ToList();
        var perSecond = new int[(int)Math.Ceiling((finished[^1] - first).TotalSeconds) + 1];
        foreach (var f in finished)
        {
            perSecond[(int)(f - first).TotalSeconds]++;
        }

        return new ThroughputResult(
            jobs,
            submitters,
            views.Count(r => r.State == "succeeded"),
            (answered.Max() - first).TotalSeconds,
            (started.Max() - first).TotalSeconds,
            (finished[^1] - first).TotalSeconds,
            (0.8 * jobs) / (p90 - p10).TotalSeconds,
            Distribution.Of(views.Select(r => LatencySample.Ms(r.SubmittedAt, r.StartedAt))),
            Distribution.Of(ours.Select(l => l.Milliseconds)),
            MaxInFlight(ours),
            Passes(ours),
            shares,
            threads,
            perSecond);
    }

    /// <summary>Launches grouped into the controller's passes: a pass ends when all of its launches have returned, and the next one's begin after that.</summary>
    public static PassStats Passes(List<LaunchRecord> launches)
    {
        var passes = new List<List<LaunchRecord>>();
        var end = DateTimeOffset.MinValue;
        foreach (var launch in launches.OrderBy(l => l.Begun))
        {
            if (passes.Count == 0 || launch.Begun > end)
            {
                passes.Add([]);
            }

            passes[^1].Add(launch);
            end = launch.Begun > end ? launch.Ended : (launch.Ended > end ? launch.Ended : end);
        }

        var between = passes.Zip(passes.Skip(1), (a, b) => (b.Min(l => l.Begun) - a.Max(l => l.Ended)).TotalMilliseconds);
        return new PassStats(
            passes.Count,
            Distribution.Of(passes.Select(p => (double)p.Count)),
            Distribution.Of(passes.Select(p => (p.Max(l => l.Ended) - p.Min(l => l.Begun)).TotalMilliseconds)),
            Distribution.Of(between));
    }

    private static int MaxInFlight(List<LaunchRecord> launches)
    {
        var edges = launches.SelectMany(l => new[] { (At: l.Begun, Delta: 1), (At: l.Ended, Delta: -1) }).OrderBy(e => e.At).ThenBy(e => e.Delta);
        int current = 0, max = 0;
        foreach (var (_, delta) in edges)
        {
            current += delta;
            max = Math.Max(max, current);
        }

        return max;
    }
}
