using System.Globalization;
using System.Security.Cryptography;
using Toolgrid.Bench.Machine;
using Toolgrid.Bench.Scenarios;
using Toolgrid.Bench.Server;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Bench.Grid;

/// <summary>
/// <c>toolgrid-bench --grid ENGINE</c>: per engine, a test cluster of the project's scripts
/// (deploy/grid/ENGINE-cluster.sh, a master and two nodes), a real toolgridd on it with the
/// backend's defaults, then Toolgrid and the engine alone measured in the same run, interleaved:
/// submit to the command's own clock (a new client process per submit each), and the throughput
/// of many jobs. Everything it made is removed at the end, even on failure.
/// </summary>
internal sealed class GridRun(BenchOptions options, string repositoryRoot)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private BenchNames _names = null!;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly BenchRun _paths = new(options, repositoryRoot);

    public string OutputDirectory => _paths.OutputDirectory;

    public async Task<GridResults> RunAsync(CancellationToken cancellationToken)
    {
        _paths.RequirePrograms();
        var begun = _time.GetTimestamp();
        Directory.CreateDirectory(OutputDirectory);

        // Leftovers of dead runs go first; those of runs still going on this host stay.
        var claim = await RunClaim.TakeAsync(cancellationToken);
        _names = claim.Names;
        var root = _names.Root;
        Progress($"run {_names.Id}: {root}, Unix users {_names.UnixUserPrefix}*, cgroup parent {_names.CgroupParent}");
        var results = new GridResults { Date = _time.GetUtcNow(), Machine = MachineInfo.Detect(root), Options = options };
        try
        {
            foreach (var engine in options.GridEngines)
            {
                results.Engines.Add(await MeasureAsync(engine, root, cancellationToken));
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

    private async Task<GridEngineResult> MeasureAsync(GridEngine engine, string root, CancellationToken cancellationToken)
    {
        var script = Path.Combine(repositoryRoot, "deploy", "grid", engine.Name + "-cluster.sh");
        var name = "tgb" + engine.Name[..2] + RandomNumberGenerator.GetInt32(1_000_000).ToString(CultureInfo.InvariantCulture);
        Progress($"{engine.Name}: installing it if missing, bringing up cluster {name} (a master and two nodes{(options.GridTuned ? ", " + GridTuning.Describe : string.Empty)})");
        if (options.GridTuned)
        {
            GridTuning.Apply();
        }

        await ClientProcess.RunAsync("/bin/sh", ["-c", ". deploy/lib.sh && install_grid_packages \"$0\"", engine.Name], null, repositoryRoot, cancellationToken).WaitAsync(ScriptTimeout, cancellationToken);
        try
        {
            var envFile = (await ClientProcess.RunAsync(script, ["up", name], null, repositoryRoot, cancellationToken).WaitAsync(ScriptTimeout, cancellationToken)).Trim().Split('\n')[^1];
            var cluster = File.ReadAllLines(envFile)
                .Select(line => line.Split('=', 2))
                .Where(pair => pair.Length == 2)
                .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
            return await MeasureOnAsync(engine, cluster, Path.Combine(root, engine.Name), (script, name), cancellationToken);
        }
        finally
        {
            Progress($"{engine.Name}: taking cluster {name} down");
            await ClientProcess.RunAsync(script, ["down", name], null, repositoryRoot, CancellationToken.None).WaitAsync(ScriptTimeout, CancellationToken.None);
        }
    }

    private async Task<GridEngineResult> MeasureOnAsync(GridEngine engine, Dictionary<string, string> cluster, string root, (string Script, string Name) clusterScript, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(root);
        var result = new GridEngineResult { Engine = engine.Name };
        IReadOnlyList<string> serverEnvironment = options.GridTuned ? [.. options.ServerEnvironment, .. GridTuning.Server] : options.ServerEnvironment;
        await using var server = new BenchServer(_names, root, _paths.Toolgridd, Path.Combine(OutputDirectory, $"toolgridd-{engine.Name}.log"), serverEnvironment);
        Progress($"{engine.Name}: starting toolgridd --backend {engine.Backend}");
        await server.StartAsync(engine.Arguments(cluster), cancellationToken);
        using var client = server.CreateClient();
        var toolName = _names.Tool + engine.Name;
        var tool = await client.CreateToolAsync(new ToolCreateRequest { Name = toolName, Description = "toolgrid-bench" }, cancellationToken);
        await client.UpdateLimitsAsync(toolName, new ToolLimitsUpdate { MaxJobs = "5000" }, cancellationToken);
        var context = new BenchContext(server, client, toolName);
        var raw = new RawEngine(engine, cluster, tool.UnixUser, tool.Home);
        raw.WriteScript();

        Progress($"{engine.Name}: {options.GridSamples} isolated submits each, Toolgrid (`toolgrid jobs run`) and the engine alone, interleaved");
        for (var i = 0; i < options.GridSamples; i++)
        {
            var sample = string.Create(CultureInfo.InvariantCulture, $"lat-{i:D4}");
            result.Toolgrid.Add(await CliScenario.SubmitOneAsync(context, _paths.Cli, sample, cancellationToken));
            await Task.Delay(options.Gap, _time, cancellationToken);
            result.Raw.Add(await raw.SubmitOneAsync(sample, StartTimeout, cancellationToken));
            await Task.Delay(options.Gap, _time, cancellationToken);
        }

        Progress($"  Toolgrid: {Stats.Distribution.Of(result.Toolgrid.Select(s => s.SubmitToExecMs)).Describe()} ms; {engine.Name}: {Stats.Distribution.Of(result.Raw.Select(s => s.SubmitToExecMs)).Describe()} ms");

        Progress($"{engine.Name}: observation lag, {options.GridSamples} one-off jobs one at a time, the API read every {ObservationLag.Poll.TotalMilliseconds:0} ms");
        result.Lag.AddRange(await ObservationLag.RunAsync(context, options.GridSamples, cancellationToken));
        Progress($"  start: {Stats.Distribution.Of(result.Lag.Select(s => s.StartLagMs ?? double.NaN)).Describe()} ms; end: {Stats.Distribution.Of(result.Lag.Select(s => s.EndLagMs ?? double.NaN)).Describe()} ms");

        if (options.GridJobs > 0)
        {
            Progress($"{engine.Name}: throughput of {options.GridJobs} jobs, {options.Submitters} submitters: the engine alone, then Toolgrid");
            result.RawThroughput = await raw.ThroughputAsync("tp", options.GridJobs, options.Submitters, TimeSpan.FromMinutes(20), cancellationToken);
            result.ToolgridThroughput = await ThroughputScenario.RunAsync(context, "tp", options.GridJobs, options.Submitters, cancellationToken, TimeSpan.FromMinutes(20));
            Progress($"  {engine.Name}: {result.RawThroughput.FinishPerSecond:0.0}/s; Toolgrid: {result.ToolgridThroughput.FinishPerSecond:0.0}/s");
        }

        result.ServerRssBytes = ProcFs.StatusBytes(server.Pid, "VmRSS") ?? 0;

        Progress($"{engine.Name}: node loss, a continuous job's node killed (the cluster script's kill-node)");
        result.NodeLoss = await NodeLoss.RunAsync(context, clusterScript.Script, clusterScript.Name, [cluster["TOOLGRID_GRID_NODE1"], cluster["TOOLGRID_GRID_NODE2"]], repositoryRoot, cancellationToken);
        Progress($"  its run ended after {result.NodeLoss.LostAfterSeconds:0.0} s ({result.NodeLoss.Reason}), a new one running elsewhere after {result.NodeLoss.ElsewhereAfterSeconds:0.0} s");
        await server.StopAsync();
        return result;
    }

    private static void Progress(string text) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"toolgrid-bench: {text}"));
}
