using System.Globalization;
using Toolgrid.Bench.Cgroups;
using Toolgrid.Bench.Floor;
using Toolgrid.Bench.Machine;
using Toolgrid.Bench.Report;
using Toolgrid.Bench.Scenarios;
using Toolgrid.Bench.Server;
using Toolgrid.Bench.Shepherd;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Bench;

/// <summary>One benchmark run, in order: the floor, the cgroup and shepherd probes, then a real toolgridd's scenarios; everything it made is removed at the end, even on failure.</summary>
internal sealed class BenchRun(BenchOptions options, string repositoryRoot)
{
    private BenchNames _names = null!;
    private readonly TimeProvider _time = TimeProvider.System;

    public string Toolgridd => options.Toolgridd ?? Path.Combine(repositoryRoot, "artifacts", "publish", "bench-toolgridd", "toolgridd");

    /// <summary>The CLI the per-submit process runs: the one bench/run.sh publishes beside toolgridd.</summary>
    public string Cli => options.Toolgrid ?? Path.Combine(Path.GetDirectoryName(Toolgridd)!, "toolgrid");

    public string OutputDirectory => options.Output ?? Path.Combine(repositoryRoot, "artifacts", "bench");

    /// <summary>Fails, saying how to get them, when toolgridd or the CLI the run needs is not there.</summary>
    public void RequirePrograms()
    {
        if (!File.Exists(Toolgridd))
        {
            throw new FileNotFoundException($"no toolgridd at {Toolgridd}: run bench/run.sh, which publishes it, or give --toolgridd PATH");
        }

        if ((options.CliSamples > 0 || options.GridEngines.Count > 0) && !File.Exists(Cli))
        {
            throw new FileNotFoundException($"no toolgrid CLI at {Cli}: run bench/run.sh, which publishes it beside toolgridd, give --toolgrid PATH, or --cli-samples 0");
        }
    }

    public async Task<BenchResults> RunAsync(CancellationToken cancellationToken)
    {
        RequirePrograms();
        var begun = _time.GetTimestamp();
        Directory.CreateDirectory(OutputDirectory);

        // Leftovers of dead runs go first; those of runs still going on this host stay.
        var claim = await RunClaim.TakeAsync(cancellationToken);
        _names = claim.Names;

        var root = _names.Root;
        Progress($"run {_names.Id}: {root}, Unix users {_names.UnixUserPrefix}* (uids {_names.UidMin}–{_names.UidMax}), cgroup parent {_names.CgroupParent}");
        var results = new BenchResults { Date = _time.GetUtcNow(), Machine = MachineInfo.Detect(root), Options = options };
        try
        {
            if (options.AtRestOnly)
            {
                await MeasureAtRestAsync(results, root, cancellationToken);
            }
            else
            {
                await MeasureFloorAsync(results, root, cancellationToken);
                await MeasurePlatformAsync(results, root, cancellationToken);
            }
        }
        finally
        {
            Progress("cleaning up");
            await claim.DisposeAsync();
        }

        results.Elapsed = _time.GetElapsedTime(begun);
        return results;
    }

    private async Task MeasureFloorAsync(BenchResults results, string root, CancellationToken cancellationToken)
    {
        Progress($"machine: {results.Machine.Describe()}");
        Progress("floor: fork+exec of /bin/sh -c true");
        results.Floor.Add(SpawnFloor.Sequential(options.FloorDuration));
        results.Floor.Add(SpawnFloor.Parallel(results.Machine.Cores, options.FloorDuration));
        results.Floor.Add(SpawnFloor.ProcessStart(options.FloorDuration / 3));
        foreach (var floor in results.Floor)
        {
            Progress($"  {floor.How}: {floor.PerSecond:0} /s, {floor.LatencyMs.Describe("0.00")} ms");
        }

        results.DateOffsetMs = SpawnFloor.DateOffset(root, 20);
        Progress("floor: fsync on the state directory's file system");
        results.FsyncAppendMs = FsyncFloor.Append(root, 100);
        results.FsyncRecordMs = FsyncFloor.RecordAppend(root, 50);
        Progress($"  4 KiB append + fsync: {results.FsyncAppendMs.Describe("0.00")} ms; record append + fdatasync + directory fsync: {results.FsyncRecordMs.Describe("0.00")} ms");

        Progress("cgroups: one write to cgroup.procs, isolated and in a burst");
        results.Cgroups = await CgroupProbe.MeasureAsync(_names.CgroupParent, 20, TimeSpan.FromMilliseconds(150), 50, cancellationToken);
        if (results.Cgroups is { } probe)
        {
            Progress($"  isolated: {probe.IsolatedMs.Describe("0.000")} ms; burst: {probe.BurstMs.Describe("0.000")} ms; favordynmods mounted: {probe.FavorDynModsMounted}; per-threadgroup rwsem since boot: {probe.PerThreadgroupSinceBoot}");
        }
    }

    private async Task MeasurePlatformAsync(BenchResults results, string root, CancellationToken cancellationToken)
    {
        if (options.AtRest)
        {
            await MeasureAtRestAsync(results, root, cancellationToken);
        }

        File.Delete(Path.Combine(OutputDirectory, "toolgridd.log"));
        await using var server = new BenchServer(_names, root, Toolgridd, Path.Combine(OutputDirectory, "toolgridd.log"), options.ServerEnvironment);
        Progress($"toolgridd: starting {Toolgridd}");
        var profile = options.Profile && PerfRecording.Available;
        await server.StartAsync([], cancellationToken, perfMap: profile);
        using var client = server.CreateClient();
        var tool = await client.CreateToolAsync(new ToolCreateRequest { Name = _names.Tool, Description = "toolgrid-bench" }, cancellationToken);
        await client.UpdateLimitsAsync(_names.Tool, new ToolLimitsUpdate { MaxJobs = "5000" }, cancellationToken);
        var context = new BenchContext(server, client, _names.Tool);

        Progress("shepherd alone: isolated launches, launches back to back, one under strace");
        results.Shepherd = await new ShepherdProbe(
            Path.Combine(Path.GetDirectoryName(Toolgridd)!, "tg-shepherd"),
            Path.Combine(root, "shepherd-probe"),
            _names.ProbeCgroupParent,
            tool.Uid,
            tool.UnixUser,
            tool.Home).MeasureAsync(30, options.Gap, cancellationToken);
        Progress($"  isolated: {results.Shepherd.IsolatedMs.Describe()} ms; back to back: {results.Shepherd.BurstMs.Describe()} ms");

        Progress($"warm-up: {options.WarmupJobs} jobs of `true` as fast as they go (a cold toolgridd)");
        if (options.WarmupJobs > 0)
        {
            results.WarmUp = await ThroughputScenario.RunAsync(context, "warm", options.WarmupJobs, options.Submitters, cancellationToken);
            Progress($"  finished {results.WarmUp.FinishPerSecond:0.0}/s; platform CPU {Report.MarkdownReport.CpuPerRunMs(results.WarmUp):0.0} ms per run");
        }

        Progress($"latency: {options.Samples} isolated submits of `true`, {options.Gap.TotalMilliseconds:0} ms apart");
        results.Latency = await LatencyScenario.RunAsync(context, "lat", options.Samples, options.Gap, "true", cancellationToken);
        Progress($"  client POST → startedAt: {Stats.Distribution.Of(results.Latency.Select(s => s.SubmitToStartMs)).Describe()} ms");

        Progress($"latency: {options.ExecSamples} isolated submits of `exec date +%s%N` (the real exec)");
        results.Exec = await LatencyScenario.RunExecAsync(context, "exec", options.ExecSamples, options.Gap, TimeSpan.FromMilliseconds(results.DateOffsetMs.P50), cancellationToken);
        Progress($"  client POST → exec: {Stats.Distribution.Of(results.Exec.Select(s => s.SubmitToExecMs)).Describe()} ms");

        if (options.CliSamples > 0)
        {
            Progress($"latency: {options.CliSamples} isolated submits of `{CliScenario.Command}`, a new `toolgrid jobs run` process each");
            results.Cli = await CliScenario.RunAsync(context, Cli, "cli", options.CliSamples, options.Gap, cancellationToken);
            Progress($"  CLI started → exec: {Stats.Distribution.Of(results.Cli.Select(s => s.SubmitToExecMs)).Describe()} ms; the CLI's own life: {Stats.Distribution.Of(results.Cli.Select(s => s.CliMs)).Describe()} ms");
        }

        if (options.FavorDynMods)
        {
            await MeasureFavorDynModsAsync(results, context, root, cancellationToken);
        }

        Progress($"throughput: {options.Jobs} jobs of `true`, {options.Submitters} submitters");
        results.Throughput = await ThroughputScenario.RunAsync(context, "tp", options.Jobs, options.Submitters, cancellationToken);
        Progress($"  submitted {results.Throughput.SubmitPerSecond:0.0}/s, started {results.Throughput.StartPerSecond:0.0}/s, finished {results.Throughput.FinishPerSecond:0.0}/s; {results.Throughput.Succeeded} succeeded; platform CPU {Report.MarkdownReport.CpuPerRunMs(results.Throughput):0.0} ms per run");

        if (profile)
        {
            var jobs = Math.Min(options.Jobs, 500);
            Progress($"profile: {jobs} more jobs of `true` under perf record -g");
            var perf = PerfRecording.Start(server.Pid, OutputDirectory);
            results.Profiled = await ThroughputScenario.RunAsync(context, "prof", jobs, options.Submitters, cancellationToken);
            results.CpuProfile = await perf.StopAsync(cancellationToken);
            Progress($"  {results.CpuProfile.Samples} samples; finished {results.Profiled.FinishPerSecond:0.0}/s under perf");
        }

        Progress($"memory: {options.Sleepers} runs of `sleep 600`");
        results.Memory = await MemoryScenario.RunAsync(context, "sleep", options.Sleepers, options.Submitters, tool.Uid, cancellationToken);
        Progress($"  shepherd VmRSS mean {results.Memory.RssBytes.Mean / 1024:0} KiB, max {results.Memory.RssBytes.Max / 1024:0} KiB; toolgridd {results.Memory.ServerRssBytes / (1024 * 1024)} MiB; all gone after deletion: {results.Memory.Leftovers.Count == 0}");

        if (options.TraceSamples > 0)
        {
            Progress($"trace: toolgridd again with SQL and request logging, {options.TraceSamples} isolated submits");
            await server.StopAsync();
            await server.StartAsync(TraceScenario.Arguments, cancellationToken);
            using var traceClient = server.CreateClient();
            var traced = new BenchContext(server, traceClient, _names.Tool);
            await ThroughputScenario.RunAsync(traced, "tracewarm", Math.Min(options.WarmupJobs, 300), options.Submitters, cancellationToken);
            results.Trace = await TraceScenario.RunAsync(traced, options.TraceSamples, options.Gap, cancellationToken);
        }

        await server.StopAsync();
    }

    private async Task MeasureAtRestAsync(BenchResults results, string root, CancellationToken cancellationToken)
    {
        Progress($"at rest: a fresh toolgridd with every role on TCP, left alone for {AtRestScenario.Idle.TotalSeconds:0} s");
        await using (var fresh = new BenchServer(_names, Path.Combine(root, "at-rest"), Toolgridd, Path.Combine(OutputDirectory, "toolgridd-at-rest.log"), options.ServerEnvironment))
        {
            results.AtRest = await AtRestScenario.RunAsync(fresh, cancellationToken);
        }

        Progress($"  VmRSS {results.AtRest.RssBytes / (1024 * 1024)} MiB (anon {results.AtRest.AnonBytes / (1024 * 1024)}, file {results.AtRest.FileBytes / (1024 * 1024)}, shmem {results.AtRest.ShmemBytes / (1024 * 1024)}); {results.AtRest.IdleCpuSeconds * 1000:0} ms of CPU while idle");
    }

    private async Task MeasureFavorDynModsAsync(BenchResults results, BenchContext context, string root, CancellationToken cancellationToken)
    {
        Progress("favordynmods: mounting an empty named v1 hierarchy with it, measuring again");
        try
        {
            await using (await FavorDynMods.MountAsync(Path.Combine(root, "favordynmods"), cancellationToken))
            {
                results.FavorDynModsCgroups = await CgroupProbe.MeasureAsync(_names.CgroupParent, 20, TimeSpan.FromMilliseconds(150), 50, cancellationToken);
                results.FavorDynModsLatency = await LatencyScenario.RunExecAsync(context, "fdm", options.ExecSamples, options.Gap, TimeSpan.FromMilliseconds(results.DateOffsetMs.P50), cancellationToken);
            }
        }
        catch (InvalidOperationException e)
        {
            results.FavorDynModsError = e.Message;
            Progress("  " + e.Message);
        }
    }

    private static void Progress(string text) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"toolgrid-bench: {text}"));
}
