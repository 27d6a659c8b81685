using System.Collections.Concurrent;
using System.Globalization;
using Toolgrid.Bench.Server;
using Toolgrid.Bench.Stats;
using Toolgrid.Core.Api;

namespace Toolgrid.Bench.Scenarios;

/// <summary>Sustained throughput: many jobs running <c>true</c>, submitted as fast as the API takes them by a few concurrent submitters.</summary>
internal static class ThroughputScenario
{
    public static async Task<ThroughputResult> RunAsync(BenchContext context, string prefix, int jobs, int submitters, CancellationToken cancellationToken)
    {
        var sent = new ConcurrentBag<DateTimeOffset>();
        var answered = new ConcurrentBag<DateTimeOffset>();
        var next = -1;
        var cpuBefore = ProcFs.CpuSeconds(context.Server.Pid);
        var machineBefore = ProcFs.MachineCpu();

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
        await context.WaitUntilAsync(async () => await context.ActiveRunsAsync(cancellationToken) == 0, TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(5), $"the end of {jobs} runs", cancellationToken);
        var cpuAfter = ProcFs.CpuSeconds(context.Server.Pid);
        var machineAfter = ProcFs.MachineCpu();

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
            cpuAfter - cpuBefore,
            (double)(machineAfter.Busy - machineBefore.Busy) / (machineAfter.Total - machineBefore.Total),
            perSecond);
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
