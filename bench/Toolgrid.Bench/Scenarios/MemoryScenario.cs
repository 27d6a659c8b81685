using System.Globalization;
using Toolgrid.Bench.Server;
using Toolgrid.Bench.Stats;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Bench.Scenarios;

/// <summary>
/// Many sleeping runs at once (<c>sleep 600</c> with small limits so that they fit the node):
/// the resident memory of each shepherd and of toolgridd, then the jobs are deleted and the
/// benchmark checks that nothing of them is left.
/// </summary>
internal static class MemoryScenario
{
    public static async Task<MemoryResult> RunAsync(BenchContext context, string prefix, int runs, int submitters, int toolUid, CancellationToken cancellationToken)
    {
        var idleRss = ProcFs.StatusBytes(context.Server.Pid, "VmRSS") ?? 0;
        var names = Enumerable.Range(0, runs).Select(i => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D4}")).ToList();
        var begun = context.Time.GetTimestamp();
        await ForEachAsync(names, submitters, name => context.Client.RunJobAsync(
            context.Tool,
            new JobRunRequest { Name = name, Command = "sleep 600", Mem = "32Mi", Cpu = "50m" },
            cancellationToken));

        await context.WaitUntilAsync(
            async () => (await context.Client.GetStatusAsync(cancellationToken)).Runs.GetValueOrDefault("running") >= runs,
            TimeSpan.FromMilliseconds(250),
            TimeSpan.FromMinutes(2),
            $"{runs} sleeping runs running",
            cancellationToken);
        var startSeconds = context.Time.GetElapsedTime(begun).TotalSeconds;

        // Launchers exit once their run is running, so what is left are the shepherds.
        var shepherds = ProcFs.Shepherds(context.Server.RunDirectory);
        var rss = shepherds.Select(p => ProcFs.StatusBytes(p, "VmRSS")).OfType<long>().Select(b => (double)b).ToList();
        var pss = shepherds.Select(ProcFs.Pss).OfType<long>().Select(b => (double)b).ToList();
        var anon = shepherds.Select(p => ProcFs.StatusBytes(p, "RssAnon")).OfType<long>().Select(b => (double)b).ToList();
        var serverRss = ProcFs.StatusBytes(context.Server.Pid, "VmRSS") ?? 0;

        var stopping = context.Time.GetTimestamp();
        await ForEachAsync(names, submitters, name => context.Client.DeleteJobAsync(context.Tool, name, cancellationToken));
        var leftovers = new List<string>();
        try
        {
            await context.WaitUntilAsync(
                () => Task.FromResult(WhatIsLeft(context, toolUid).Count == 0),
                TimeSpan.FromMilliseconds(100),
                TimeSpan.FromMinutes(1),
                "the end of the deleted runs",
                cancellationToken);
        }
        catch (TimeoutException)
        {
            leftovers.AddRange(WhatIsLeft(context, toolUid));
        }

        var stopSeconds = context.Time.GetElapsedTime(stopping).TotalSeconds;
        var jobs = await context.Client.ListJobsAsync(context.Tool, cancellationToken);
        leftovers.AddRange(jobs.Where(j => names.Contains(j.Name)).Select(j => $"job {j.Name} is still listed ({j.Status})"));

        return new MemoryResult(runs, shepherds.Count, Distribution.Of(rss), Distribution.Of(pss), Distribution.Of(anon), serverRss, idleRss, startSeconds, stopSeconds, leftovers);
    }

    private static List<string> WhatIsLeft(BenchContext context, int toolUid)
    {
        var found = new List<string>();
        found.AddRange(ProcFs.Shepherds(context.Server.RunDirectory).Select(p => $"shepherd {p}"));
        found.AddRange(ProcFs.Processes().Where(p => ProcFs.Uid(p.Pid) == toolUid).Select(p => $"process {p.Pid} ({string.Join(' ', p.Argv)}) of the tool's user"));
        found.AddRange(Toolgrid.Bench.Server.Leftovers.CgroupDirectories(context.Server.CgroupParent)
            .SelectMany(Directory.GetDirectories)
            .Where(d => Path.GetFileName(d).StartsWith("run-", StringComparison.Ordinal))
            .Select(d => $"cgroup {d}"));
        return found;
    }

    private static Task ForEachAsync(List<string> names, int workers, Func<string, Task> action)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < names.Count)
            {
                await action(names[i]);
            }
        })));
    }
}
