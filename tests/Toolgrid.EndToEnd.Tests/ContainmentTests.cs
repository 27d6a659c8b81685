using System.Globalization;
using Xunit.Abstractions;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>Limits hold: a run that goes over its memory or forks without end is contained, and its neighbours are untouched.</summary>
[Collection(SharedPlatform.Name)]
public sealed class ContainmentTests(Platform platform, ITestOutputHelper output)
{
    /// <summary>Only catches a hang.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [RootFact]
    public async Task A_memory_hog_ends_out_of_memory_while_a_sibling_run_goes_on()
    {
        // The sibling runs until the test has seen the hog end: it lived through the OOM kill.
        await platform.MustAsync("alice", "tools", "create", "contain-mem");
        var hogEnded = Path.Combine(platform.HomeOf("contain-mem"), "hog-ended");
        await platform.MustAsync("alice", "jobs", "run", "sibling", "--tool", "contain-mem", "--mem", "64Mi",
            "--command", "echo before the hog; until [ -e hog-ended ]; do sleep 0.1; done; echo after the hog");
        await platform.WaitForRunAsync("contain-mem", "sibling", run => run.GetProperty("state").GetString() == "running");

        var hog = await platform.CliAsync("alice", "jobs", "run", "hog", "--tool", "contain-mem", "--mem", "128Mi", "--wait",
            "--command", "python3 -c 'import time; b = bytearray(1024 * 1024 * 1024); time.sleep(30)'");
        Assert.Equal(242, hog.ExitCode);
        var hogRun = (await platform.JobAsync("contain-mem", "hog")).GetProperty("runs")[0];
        Assert.Equal("failed", hogRun.GetProperty("state").GetString());
        Assert.Equal("out-of-memory", hogRun.GetProperty("reason").GetString());
        Assert.Equal("running", (await platform.JobAsync("contain-mem", "sibling")).GetProperty("runs")[0].GetProperty("state").GetString());

        await File.WriteAllTextAsync(hogEnded, "");
        var sibling = await platform.WaitForRunAsync("contain-mem", "sibling", run => run.GetProperty("state").GetString() != "running");
        Assert.Equal("succeeded", sibling.GetProperty("state").GetString());
        Assert.Equal(["before the hog", "after the hog"], await File.ReadAllLinesAsync(Path.Combine(platform.HomeOf("contain-mem"), "sibling.out")));
    }

    [RootFact]
    public async Task A_fork_bomb_hits_its_process_limit_and_stopping_it_leaves_no_process()
    {
        await platform.MustAsync("alice", "tools", "create", "contain-fork");

        // The bomb's own shell forks only at the start (then exec, no fork): it stays up however
        // full the cgroup is, and so does the run.
        await platform.MustAsync("alice", "jobs", "run", "bomb", "--tool", "contain-fork", "--command", "bomb() { bomb | bomb & }; bomb; exec sleep 600");
        var run = await platform.WaitForRunAsync("contain-fork", "bomb", r => r.GetProperty("state").GetString() == "running");
        var pids = PidsCgroupOf(run.GetProperty("id").GetInt64());
        var user = Platform.ToolPrefix + "contain-fork";

        // Contained means forks were refused at the limit: the cgroup counts each refusal
        // (pids.events "max N"), and the bomb's shells say so on its stderr ("Cannot fork").
        var stderr = Path.Combine(platform.HomeOf("contain-fork"), "bomb.err");
        bool ForkFailuresLogged() => File.Exists(stderr) && File.ReadAllText(stderr).Contains("fork", StringComparison.OrdinalIgnoreCase);
        await WaitUntilAsync(() => ForksRefused(pids) > 0 || ForkFailuresLogged(), "forks refused at the limit");
        output.WriteLine($"forks refused at the limit (pids.events): {ForksRefused(pids)}; fork failures on stderr: {ForkFailuresLogged()}");
        var max = int.Parse(File.ReadAllText(Path.Combine(pids, "pids.max")).Trim(), CultureInfo.InvariantCulture);
        Assert.Equal(512, max);
        Assert.InRange(int.Parse(File.ReadAllText(Path.Combine(pids, "pids.current")).Trim(), CultureInfo.InvariantCulture), 1, max);

        // The host still forks.
        Assert.Equal(0, (await Command.RunAsync("/bin/true", [])).ExitCode);

        await platform.MustAsync("alice", "jobs", "delete", "bomb", "--tool", "contain-fork");
        await WaitUntilAsync(() => CountProcesses(user) == 0 && !Directory.Exists(pids), $"no process of {user} and no cgroup {pids} left");
    }

    /// <summary>The run's cgroup in the pids hierarchy (cgroup v1), or in the unified one (v2).</summary>
    private static string PidsCgroupOf(long runId)
    {
        var name = Path.Combine(Platform.CgroupParent, "run-" + runId.ToString(CultureInfo.InvariantCulture));
        var candidates = new[] { Path.Combine("/sys/fs/cgroup/pids", name), Path.Combine("/sys/fs/cgroup", name) };
        return candidates.FirstOrDefault(c => File.Exists(Path.Combine(c, "pids.events")))
            ?? throw new InvalidOperationException($"run {runId} has no pids cgroup: none of {string.Join(", ", candidates)}");
    }

    /// <summary>How many forks the pids cgroup has refused at its limit ("max N" in pids.events; 0 once it is gone).</summary>
    private static long ForksRefused(string pidsCgroup)
    {
        try
        {
            return File.ReadAllLines(Path.Combine(pidsCgroup, "pids.events"))
                .Select(l => l.Split(' '))
                .Where(f => f.Length == 2 && f[0] == "max")
                .Select(f => long.Parse(f[1], CultureInfo.InvariantCulture))
                .FirstOrDefault();
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The processes of a Unix user, zombies not counted.</summary>
    private static int CountProcesses(string user)
    {
        var uid = File.ReadAllLines("/etc/passwd").Select(l => l.Split(':')).Single(f => f[0] == user)[2];
        var count = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var status = File.ReadAllLines(Path.Combine(directory, "status"));
                var owner = status.FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
                var state = status.FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal));
                if (owner == uid && state is not null && !state.Contains("zombie", StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not a process, or gone meanwhile.
            }
        }

        return count;
    }

    private async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"timed out waiting for {what}:\n{platform.Log}");
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }
    }
}
