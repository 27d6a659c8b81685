using System.Globalization;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>Limits hold: a run that goes over its memory or forks without end is contained, and its neighbours are untouched.</summary>
[Collection(SharedPlatform.Name)]
public sealed class ContainmentTests(Platform platform)
{
    [RootFact]
    public async Task A_memory_hog_ends_out_of_memory_while_a_sibling_run_goes_on()
    {
        await platform.MustAsync("alice", "tools", "create", "contain-mem");
        await platform.MustAsync("alice", "jobs", "run", "sibling", "--tool", "contain-mem", "--mem", "64Mi", "--command", "for i in $(seq 1 40); do echo tick $i; sleep 0.25; done");
        await platform.WaitForRunAsync("contain-mem", "sibling", run => run.GetProperty("state").GetString() == "running");

        var hog = await platform.CliAsync("alice", "jobs", "run", "hog", "--tool", "contain-mem", "--mem", "128Mi", "--wait",
            "--command", "python3 -c 'import time; b = bytearray(1024 * 1024 * 1024); time.sleep(30)'");
        Assert.Equal(242, hog.ExitCode);
        var hogRun = (await platform.JobAsync("contain-mem", "hog")).GetProperty("runs")[0];
        Assert.Equal("failed", hogRun.GetProperty("state").GetString());
        Assert.Equal("out-of-memory", hogRun.GetProperty("reason").GetString());

        var sibling = await platform.WaitForRunAsync("contain-mem", "sibling", run => run.GetProperty("state").GetString() != "running", TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", sibling.GetProperty("state").GetString());
        var ticks = await File.ReadAllLinesAsync(Path.Combine(platform.HomeOf("contain-mem"), "sibling.out"));
        Assert.Equal("tick 40", ticks[^1]);
    }

    [RootFact]
    public async Task A_fork_bomb_is_contained_and_stopping_it_leaves_no_process()
    {
        await platform.MustAsync("alice", "tools", "create", "contain-fork");
        await platform.MustAsync("alice", "jobs", "run", "bomb", "--tool", "contain-fork", "--command", "bomb() { bomb | bomb & }; bomb; sleep 600");
        var run = await platform.WaitForRunAsync("contain-fork", "bomb", r => r.GetProperty("state").GetString() == "running");
        var user = Platform.ToolPrefix + "contain-fork";
        await Task.Delay(TimeSpan.FromSeconds(3), TimeProvider.System);

        var count = await CountProcessesAsync(user);
        Assert.InRange(count, 1, 512);

        // The host still forks.
        Assert.Equal(0, (await Command.RunAsync("/bin/true", [])).ExitCode);

        await platform.MustAsync("alice", "jobs", "delete", "bomb", "--tool", "contain-fork");
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (await CountProcessesAsync(user) > 0)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"{await CountProcessesAsync(user)} processes of {user} are left");
            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }

        _ = run;
    }

    private static async Task<int> CountProcessesAsync(string user)
    {
        var result = await Command.RunAsync("pgrep", ["-c", "-u", user]);
        return int.Parse(result.Stdout.Trim() is { Length: > 0 } text ? text : "0", CultureInfo.InvariantCulture);
    }
}
