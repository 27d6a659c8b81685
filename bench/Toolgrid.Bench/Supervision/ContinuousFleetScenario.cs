using System.Globalization;
using Toolgrid.Bench.Scenarios;
using Toolgrid.Bench.Server;
using Toolgrid.Bench.Stats;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Bench.Supervision;

/// <summary>
/// N continuous jobs up at once (<c>exec sleep 86400</c>): the memory of their shepherds and of
/// toolgridd; then toolgridd gets SIGKILL and is started again, and the benchmark measures how
/// long it takes to take the runs back (re-adoption) and checks that every shepherd is the same
/// process and no run was started twice; then the jobs are deleted and checked gone.
/// </summary>
internal static class ContinuousFleetScenario
{
    public static async Task<ContinuousFleetResult> RunAsync(BenchContext context, string prefix, int jobs, int submitters, int toolUid, IReadOnlyList<string> serverArguments, CancellationToken cancellationToken)
    {
        var server = context.Server;
        var idleRss = ProcFs.StatusBytes(server.Pid, "VmRSS") ?? 0;
        var names = Enumerable.Range(0, jobs).Select(i => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D4}")).ToList();
        var begun = context.Time.GetTimestamp();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = submitters, CancellationToken = cancellationToken }, async (name, token) =>
            await context.Client.RunJobAsync(
                context.Tool,
                new JobRunRequest { Name = name, Continuous = true, Command = "exec sleep 86400", Mem = "32Mi", Cpu = "10m", Filelog = false },
                token));
        await context.WaitUntilAsync(
            async () => (await context.Client.GetStatusAsync(cancellationToken)).Runs.GetValueOrDefault("running") >= jobs,
            TimeSpan.FromMilliseconds(250),
            TimeSpan.FromMinutes(5),
            $"{jobs} continuous runs running",
            cancellationToken);
        var upSeconds = context.Time.GetElapsedTime(begun).TotalSeconds;

        // Settled: launchers gone, toolgridd's heap after the burst.
        await Task.Delay(TimeSpan.FromSeconds(3), context.Time, cancellationToken);
        var shepherds = ProcFs.Shepherds(server.RunDirectory);
        var rss = shepherds.Select(p => ProcFs.StatusBytes(p, "VmRSS")).OfType<long>().Select(b => (double)b).ToList();
        var pss = shepherds.Select(ProcFs.Pss).OfType<long>().Select(b => (double)b).ToList();
        var serverRss = ProcFs.StatusBytes(server.Pid, "VmRSS") ?? 0;
        var statusBefore = await context.Client.GetStatusAsync(cancellationToken);
        var runsBefore = statusBefore.Runs.Values.Sum();

        // SIGKILL, then start again and time the re-adoption.
        var before = new HashSet<int>(shepherds);
        await server.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(1), context.Time, cancellationToken);
        var alive = ProcFs.Shepherds(server.RunDirectory).Count;
        var restartedAt = context.Time.GetUtcNow();
        var restarting = context.Time.GetTimestamp();
        await server.StartAsync(serverArguments, cancellationToken);
        var apiSeconds = context.Time.GetElapsedTime(restarting).TotalSeconds;
        StatusView status = statusBefore;
        await context.WaitUntilAsync(
            async () =>
            {
                status = await context.Client.GetStatusAsync(cancellationToken);
                return status.Nodes.Any(n => n.LastSeenAt >= restartedAt) && status.Runs.GetValueOrDefault("running") >= jobs;
            },
            TimeSpan.FromMilliseconds(20),
            TimeSpan.FromMinutes(5),
            "the re-adoption of the runs",
            cancellationToken);
        var adoptSeconds = context.Time.GetElapsedTime(restarting).TotalSeconds;
        var adoptCpu = ProcFs.CpuSeconds(server.Pid);

        // A few controller passes later: the same shepherds, no run started twice.
        await Task.Delay(TimeSpan.FromSeconds(3), context.Time, cancellationToken);
        var after = ProcFs.Shepherds(server.RunDirectory);
        status = await context.Client.GetStatusAsync(cancellationToken);
        var problems = new List<string>();
        if (alive != jobs)
        {
            problems.Add($"{alive} of {jobs} shepherds were alive after the SIGKILL");
        }

        if (!before.SetEquals(after))
        {
            problems.Add($"shepherds changed: {before.Except(after).Count()} gone, {after.Except(before).Count()} new");
        }

        if (status.Runs.Values.Sum() != runsBefore || status.Runs.GetValueOrDefault("running") != jobs)
        {
            problems.Add($"runs before {runsBefore} ({jobs} running), after {status.Runs.Values.Sum()} ({status.Runs.GetValueOrDefault("running")} running)");
        }

        var adoptedRss = ProcFs.StatusBytes(server.Pid, "VmRSS") ?? 0;

        var stopping = context.Time.GetTimestamp();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = submitters, CancellationToken = cancellationToken }, async (name, token) =>
            await context.Client.DeleteJobAsync(context.Tool, name, token));
        var leftovers = new List<string>();
        try
        {
            await context.WaitUntilAsync(() => Task.FromResult(WhatIsLeft(server, toolUid).Count == 0), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2), "the end of the deleted runs", cancellationToken);
        }
        catch (TimeoutException)
        {
            leftovers.AddRange(WhatIsLeft(server, toolUid));
        }

        var stopSeconds = context.Time.GetElapsedTime(stopping).TotalSeconds;
        return new ContinuousFleetResult(
            jobs,
            shepherds.Count,
            Distribution.Of(rss),
            Distribution.Of(pss),
            idleRss,
            serverRss,
            upSeconds,
            apiSeconds,
            adoptSeconds,
            adoptCpu,
            adoptedRss,
            problems,
            stopSeconds,
            leftovers);
    }

    private static List<string> WhatIsLeft(BenchServer server, int toolUid)
    {
        var found = new List<string>();
        found.AddRange(ProcFs.Shepherds(server.RunDirectory).Select(p => $"shepherd {p}"));
        found.AddRange(ProcFs.Processes().Where(p => ProcFs.Uid(p.Pid) == toolUid).Select(p => $"process {p.Pid} ({string.Join(' ', p.Argv)})"));
        found.AddRange(Leftovers.CgroupDirectories(server.CgroupParent)
            .SelectMany(Directory.GetDirectories)
            .Where(d => Path.GetFileName(d).StartsWith("run-", StringComparison.Ordinal))
            .Select(d => $"cgroup {d}"));
        return found;
    }
}
