using System.Globalization;
using Toolgrid.Bench.Scenarios;
using Toolgrid.Bench.Server;
using Toolgrid.Bench.Stats;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Bench.Supervision;

/// <summary>
/// <c>toolgrid-bench --idle</c>: what toolgridd costs when nothing happens. A real toolgridd gets
/// N scheduled jobs of <c>true</c> (daily, at an hour about twelve hours away, so that none falls
/// due or is staged while it is measured) and M continuous jobs of <c>exec sleep 86400</c>; once
/// every continuous run is running and a few passes have gone by, toolgridd's own CPU
/// (utime + stime of its process, /proc/PID/stat) is read over consecutive windows, each given in
/// ms of CPU per second of wall time. Everything it made is removed at the end, even on failure.
/// </summary>
internal static class IdleScenario
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    /// <summary>After the last continuous run is running: the starts' own work done, the heap settled.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(BenchOptions options, string repositoryRoot, CancellationToken cancellationToken)
    {
        var toolgridd = options.Toolgridd ?? Path.Combine(repositoryRoot, "artifacts", "publish", "bench-toolgridd", "toolgridd");
        var output = options.Output ?? Path.Combine(repositoryRoot, "artifacts", "bench");
        if (!File.Exists(toolgridd))
        {
            await Console.Error.WriteLineAsync($"toolgrid-bench: no toolgridd at {toolgridd}: give --toolgridd PATH");
            return 2;
        }

        Directory.CreateDirectory(output);

        // Leftovers of dead runs go first; those of runs still going on this host stay.
        var claim = await RunClaim.TakeAsync(cancellationToken);
        var names = claim.Names;
        var root = names.Root;
        try
        {
            var windows = await MeasureAsync(options, names, root, toolgridd, Path.Combine(output, "toolgridd-idle.log"), cancellationToken);
            var perSecond = Distribution.Of(windows);
            var text = string.Create(
                CultureInfo.InvariantCulture,
                $"| toolgridd idle, {options.Schedules} schedules + {options.ContinuousJobs} continuous jobs running | {perSecond.Mean:0.0} ms CPU per s (windows of {Window.TotalSeconds:0} s: {string.Join(", ", windows.Select(w => w.ToString("0.0", CultureInfo.InvariantCulture)))}; min {perSecond.Min:0.0}, max {perSecond.Max:0.0}) |");
            Console.WriteLine(text);
            await File.WriteAllTextAsync(Path.Combine(output, "idle.md"), text + "\n", CancellationToken.None);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("toolgrid-bench: interrupted; what it made has been removed.");
            return 130;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or Toolgrid.Cli.Api.ToolgridApiException or Toolgrid.Cli.Api.ApiUnreachableException)
        {
            await Console.Error.WriteLineAsync($"toolgrid-bench: failed: {e}");
            return 1;
        }
        finally
        {
            Progress("cleaning up");
            await claim.DisposeAsync();
        }
    }

    private static async Task<List<double>> MeasureAsync(BenchOptions options, BenchNames names, string root, string toolgridd, string log, CancellationToken cancellationToken)
    {
        File.Delete(log);
        await using var server = new BenchServer(names, root, toolgridd, log, options.ServerEnvironment);
        var slots = Math.Max(512, options.ContinuousJobs + 100);
        Progress($"toolgridd: starting {toolgridd} with {slots} slots");
        await server.StartAsync([string.Create(CultureInfo.InvariantCulture, $"--Toolgrid:Local:Slots={slots}")], cancellationToken);
        using var client = server.CreateClient();
        await client.CreateToolAsync(new ToolCreateRequest { Name = names.Tool, Description = "toolgrid-bench" }, cancellationToken);
        await client.UpdateLimitsAsync(names.Tool, new ToolLimitsUpdate { MaxJobs = "5000" }, cancellationToken);
        var context = new BenchContext(server, client, names.Tool);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Submitters, CancellationToken = cancellationToken };

        // Daily, about twelve hours away: never due, never staged while measured.
        var away = context.Time.GetUtcNow().AddHours(12);
        var cron = string.Create(CultureInfo.InvariantCulture, $"{away.Minute} {away.Hour} * * *");
        Progress($"idle: {options.Schedules} scheduled jobs ({cron}, UTC) and {options.ContinuousJobs} continuous jobs of `exec sleep 86400`");
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Schedules), parallel, async (i, token) =>
            await client.RunJobAsync(
                names.Tool,
                new JobRunRequest { Name = string.Create(CultureInfo.InvariantCulture, $"idle-s-{i:D4}"), Schedule = cron, Timezone = "UTC", Command = "true", Mem = "32Mi", Cpu = "10m", Filelog = false },
                token));
        await Parallel.ForEachAsync(Enumerable.Range(0, options.ContinuousJobs), parallel, async (i, token) =>
            await client.RunJobAsync(
                names.Tool,
                new JobRunRequest { Name = string.Create(CultureInfo.InvariantCulture, $"idle-c-{i:D4}"), Continuous = true, Command = "exec sleep 86400", Mem = "32Mi", Cpu = "10m", Filelog = false },
                token));
        await context.WaitUntilAsync(
            async () => (await client.GetStatusAsync(cancellationToken)).Runs.GetValueOrDefault("running") >= options.ContinuousJobs,
            TimeSpan.FromMilliseconds(500),
            TimeSpan.FromMinutes(5),
            $"{options.ContinuousJobs} continuous runs running",
            cancellationToken);
        await Task.Delay(Settle, context.Time, cancellationToken);

        var windows = new List<double>();
        var count = Math.Max(1, (int)Math.Round(options.IdleDuration / Window));
        Progress($"idle: measuring toolgridd's CPU over {count} windows of {Window.TotalSeconds:0} s");
        for (var i = 0; i < count; i++)
        {
            var cpu0 = ProcFs.CpuSeconds(server.Pid);
            var begun = context.Time.GetTimestamp();
            await Task.Delay(Window, context.Time, cancellationToken);
            var perSecond = 1000 * (ProcFs.CpuSeconds(server.Pid) - cpu0) / context.Time.GetElapsedTime(begun).TotalSeconds;
            windows.Add(perSecond);
            Progress(string.Create(CultureInfo.InvariantCulture, $"  window {i + 1}: {perSecond:0.0} ms CPU per s"));
        }

        var status = await client.GetStatusAsync(cancellationToken);
        if (status.Runs.GetValueOrDefault("running") != options.ContinuousJobs || status.Runs.Values.Sum() != options.ContinuousJobs)
        {
            throw new InvalidOperationException($"not idle: the runs were {string.Join(", ", status.Runs.Select(r => $"{r.Key} {r.Value}"))}, expected {options.ContinuousJobs} running and nothing else");
        }

        await server.StopAsync();
        return windows;
    }

    private static void Progress(string text) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"toolgrid-bench: {text}"));
}
