using System.Globalization;
using System.Text.RegularExpressions;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>toolgridd may die at any moment: runs go on, are re-adopted, and each end is recorded once.</summary>
[Collection(SharedPlatform.Name)]
public sealed class RestartTests(Platform platform)
{
    [RootFact]
    public async Task Killing_toolgridd_during_a_job_neither_stops_nor_repeats_it_and_its_exit_is_recorded_once()
    {
        // The job runs until the test lets it end, after toolgridd is back: however slowly
        // toolgridd stops and starts, the job is still running across it.
        await platform.MustAsync("alice", "tools", "create", "restart-one");
        await platform.MustAsync("alice", "jobs", "run", "long", "--tool", "restart-one", "--command", "echo start $$; until [ -e go ]; do sleep 0.1; done; echo done");
        var running = await platform.WaitForRunAsync("restart-one", "long", run => run.GetProperty("state").GetString() == "running");
        var runId = running.GetProperty("id").GetInt64();
        var pid = running.GetProperty("pid").GetInt32();

        await platform.StopAsync(kill: true);
        Assert.True(Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}"), "the job died with toolgridd");
        await platform.StartAsync();

        // Re-adopted: the same run, the same process.
        var adopted = await platform.WaitForRunAsync("restart-one", "long", run => run.GetProperty("state").GetString() == "running");
        Assert.Equal(runId, adopted.GetProperty("id").GetInt64());
        Assert.Equal(pid, adopted.GetProperty("pid").GetInt32());
        Assert.True(Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}"), "the job did not outlive the restart");

        await File.WriteAllTextAsync(Path.Combine(platform.HomeOf("restart-one"), "go"), "");
        var ended = await platform.WaitForRunAsync("restart-one", "long", run => run.GetProperty("state").GetString() != "running");
        Assert.Equal("succeeded", ended.GetProperty("state").GetString());
        var job = await platform.JobAsync("restart-one", "long");
        Assert.Equal(1, job.GetProperty("runs").GetArrayLength());

        var output = await File.ReadAllLinesAsync(Path.Combine(platform.HomeOf("restart-one"), "long.out"));
        Assert.Single(output, l => l.StartsWith("start", StringComparison.Ordinal));
        Assert.Single(output, l => l == "done");

        // toolgridd's output reaches the test's copy of its log a moment after the store has the end.
        var line = $@"Run {runId} of restart-one/long is Succeeded";
        await Platform.EventuallyAsync(() => Task.FromResult(Regex.IsMatch(platform.Log, line)), "the run's end in toolgridd's log");
        Assert.Equal(1, Regex.Count(platform.Log, line));
    }
}
