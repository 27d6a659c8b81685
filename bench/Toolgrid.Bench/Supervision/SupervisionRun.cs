using System.Globalization;
using Toolgrid.Bench.Floor;
using Toolgrid.Bench.Machine;
using Toolgrid.Bench.Scenarios;
using Toolgrid.Bench.Server;
using Toolgrid.Contracts.Api;
using Toolgrid.Core.Scheduling;

namespace Toolgrid.Bench.Supervision;

/// <summary>
/// The supervision suite (<c>--supervision</c>): the fork+exec floor, then a real toolgridd's
/// first-restart latency of continuous jobs, the memory of N continuous jobs and their
/// re-adoption after a SIGKILL of toolgridd, and a burst of schedules all due on one minute,
/// twice: under toolgridd's default lead time (runs started ahead, held until their due time),
/// then, toolgridd restarted with <c>ScheduleLeadTime=00:00:00</c>, queued at their due time.
/// Everything it made is removed at the end, even on failure.
/// </summary>
internal sealed class SupervisionRun(BenchOptions options, string repositoryRoot)
{
    private BenchNames _names = null!;
    private readonly TimeProvider _time = TimeProvider.System;

    public string Toolgridd => options.Toolgridd ?? Path.Combine(repositoryRoot, "artifacts", "publish", "bench-toolgridd", "toolgridd");

    public string OutputDirectory => options.Output ?? Path.Combine(repositoryRoot, "artifacts", "bench");

    public async Task<SupervisionResults> RunAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Toolgridd))
        {
            throw new FileNotFoundException($"no toolgridd at {Toolgridd}: run bench/run.sh, which publishes it, or give --toolgridd PATH");
        }

        var begun = _time.GetTimestamp();
        Directory.CreateDirectory(OutputDirectory);

        // Leftovers of dead runs go first; those of runs still going on this host stay.
        var claim = await RunClaim.TakeAsync(cancellationToken);
        _names = claim.Names;

        var root = _names.Root;
        Progress($"run {_names.Id}: {root}, Unix users {_names.UnixUserPrefix}* (uids {_names.UidMin}–{_names.UidMax}), cgroup parent {_names.CgroupParent}");
        var results = new SupervisionResults { Date = _time.GetUtcNow(), Machine = MachineInfo.Detect(root), Options = options };
        try
        {
            Progress($"machine: {results.Machine.Describe()}");
            Progress("floor: fork+exec of /bin/sh -c true, 1 at a time");
            results.Floor = SpawnFloor.Sequential(options.FloorDuration);
            Progress($"  {results.Floor.PerSecond:0} /s, {results.Floor.LatencyMs.Describe("0.00")} ms");
            await MeasureAsync(results, root, cancellationToken);
        }
        finally
        {
            Progress("cleaning up");
            await claim.DisposeAsync();
        }

        results.Elapsed = _time.GetElapsedTime(begun);
        return results;
    }

    private async Task MeasureAsync(SupervisionResults results, string root, CancellationToken cancellationToken)
    {
        var log = Path.Combine(OutputDirectory, "toolgridd-supervision.log");
        File.Delete(log);
        await using var server = new BenchServer(_names, root, Toolgridd, log, options.ServerEnvironment);

        // The node's slots (512 by default) must hold every scheduled run at once, as they are all
        // launched ahead and held until their due time, beside the continuous jobs.
        results.NodeSlots = Math.Max(512, options.Schedules + options.ContinuousJobs + 100);
        string[] serverArguments = [string.Create(CultureInfo.InvariantCulture, $"--Toolgrid:Local:Slots={results.NodeSlots}")];
        Progress($"toolgridd: starting {Toolgridd} with {results.NodeSlots} slots");
        await server.StartAsync(serverArguments, cancellationToken);
        using var client = server.CreateClient();
        var tool = await client.CreateToolAsync(new ToolCreateRequest { Name = _names.Tool, Description = "toolgrid-bench" }, cancellationToken);
        await client.UpdateLimitsAsync(_names.Tool, new ToolLimitsUpdate { MaxJobs = "5000" }, cancellationToken);
        var context = new BenchContext(server, client, _names.Tool);

        if (options.WarmupJobs > 0)
        {
            Progress($"warm-up: {options.WarmupJobs} jobs of `true` as fast as they go (a cold toolgridd)");
            await ThroughputScenario.RunAsync(context, "warm", options.WarmupJobs, options.Submitters, cancellationToken);
        }

        if (options.RestartSamples > 0)
        {
            Progress($"restart latency: {options.RestartSamples} continuous jobs whose first run exits 1, {options.Gap.TotalMilliseconds:0} ms apart");
            results.Restart = await RestartLatencyScenario.RunAsync(context, "rl", options.RestartSamples, options.Gap, cancellationToken);
            Progress($"  exit → new run started: {results.Restart.ExitToStartMs.Describe()} ms; exit → queued: {results.Restart.ExitToQueuedMs.Describe()} ms");
        }

        if (options.ContinuousJobs > 0)
        {
            Progress($"continuous: {options.ContinuousJobs} continuous jobs of `exec sleep 86400`, then toolgridd SIGKILLed and started again");
            results.Fleet = await ContinuousFleetScenario.RunAsync(context, "cj", options.ContinuousJobs, options.Submitters, tool.Uid, serverArguments, cancellationToken);
            var f = results.Fleet;
            Progress($"  up in {f.UpSeconds:0.0} s; shepherd VmRSS mean {f.RssBytes.Mean / 1024:0} KiB, PSS mean {f.PssBytes.Mean / 1024:0} KiB; toolgridd {f.ServerRssBytes / (1024 * 1024)} MiB (idle {f.ServerRssIdleBytes / (1024 * 1024)} MiB)");
            Progress($"  re-adopted: API in {f.ApiSeconds:0.00} s, all runs in {f.AdoptSeconds:0.00} s; problems: {(f.AdoptProblems.Count == 0 ? "none" : string.Join("; ", f.AdoptProblems))}; all gone after deletion: {f.Leftovers.Count == 0}");
        }

        if (options.Schedules > 0)
        {
            var tools = new List<string>();
            for (var i = 1; i <= Math.Max(1, options.ScheduleTools); i++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"sched-{i:D3}");
                await client.CreateToolAsync(new ToolCreateRequest { Name = name, Description = "toolgrid-bench schedules" }, cancellationToken);
                await client.UpdateLimitsAsync(name, new ToolLimitsUpdate { MaxJobs = "5000" }, cancellationToken);
                tools.Add(name);
            }

            var lead = ScheduleSettings.Default.LeadTime;
            Progress($"schedules: {options.Schedules} scheduled jobs of `true` over {tools.Count} tools, all due on one minute, queued and launched {lead.TotalSeconds:0} s ahead (the default lead time)");
            results.Schedules = await ScheduleBurstScenario.RunAsync(context, tools, "due", options.Schedules, options.Submitters, lead, cancellationToken);
            ProgressSchedules(results.Schedules);

            Progress("toolgridd: restarting it with ScheduleLeadTime=00:00:00 (runs queued at their due time)");
            await server.StopAsync();
            await server.StartAsync([.. serverArguments, "--Toolgrid:Controller:ScheduleLeadTime=00:00:00"], cancellationToken);
            Progress($"schedules: the same {options.Schedules} scheduled jobs, queued at their due time");
            results.SchedulesAtDue = await ScheduleBurstScenario.RunAsync(context, tools, "due0", options.Schedules, options.Submitters, TimeSpan.Zero, cancellationToken);
            ProgressSchedules(results.SchedulesAtDue);
        }

        await server.StopAsync();
    }

    private static void ProgressSchedules(ScheduleBurstResult s) =>
        Progress(string.Create(CultureInfo.InvariantCulture, $"  due {s.DueAt:HH:mm}: start lateness {s.StartLatenessMs.Describe()} ms; queue lateness {s.QueueLatenessMs.Describe()} ms; toolgridd CPU {1000 * s.ServerCpuSeconds / s.Schedules:0.00} ms per run; problems: {s.Problems.Count}"));

    private static void Progress(string text) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"toolgrid-bench: {text}"));
}
