using System.Net.Http.Json;
using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>One tool against another on one host: homes, logs, processes and /tmp, as toolgridd makes them.</summary>
[Collection(SharedPlatform.Name)]
public sealed class IsolationTests(Platform platform)
{
    [RootFact]
    public async Task A_tool_cannot_read_another_tools_home_or_logs_nor_see_its_processes()
    {
        await platform.MustAsync("alice", "tools", "create", "iso-mine");
        await platform.MustAsync("bob", "tools", "create", "iso-theirs");
        var theirs = platform.HomeOf("iso-theirs");
        await platform.MustAsync("bob", "jobs", "run", "keeper", "--tool", "iso-theirs", "--command", "echo their-log-line; sleep 300; echo done");
        await platform.WaitForRunAsync("iso-theirs", "keeper", run => run.GetProperty("state").GetString() == "running");
        var keeperPid = await WaitForPidAsync(Platform.ToolPrefix + "iso-theirs");

        var look = await platform.CliAsync(
            "alice", "jobs", "run", "look", "--tool", "iso-mine", "--wait",
            "--command", $"ls {theirs} >/dev/null 2>&1 || echo no-home; cat {theirs}/keeper.out 2>/dev/null || echo no-log; ls -d /proc/{keeperPid} 2>/dev/null || echo no-process; stat -c %U /proc/[0-9]* | sort -u; ls -A /tmp | wc -l");
        await platform.MustAsync("bob", "jobs", "delete", "keeper", "--tool", "iso-theirs");

        Assert.True(look.ExitCode == 0, look.ToString());
        var seen = (await File.ReadAllLinesAsync(Path.Combine(platform.HomeOf("iso-mine"), "look.out"))).Select(l => l.Trim());
        Assert.Equal(["no-home", "no-log", "no-process", Platform.ToolPrefix + "iso-mine", "0"], seen);
        Assert.Equal("2770", (await Command.MustAsync("stat", "-c", "%a", theirs)).Trim());

        // A person who maintains a tool works in its home; one who does not cannot read it.
        var asBob = await Command.RunAsync("setpriv", ["--reuid=" + Platform.Person("bob"), "--regid=" + Platform.Person("bob"), "--init-groups", "--", "cat", Path.Combine(platform.HomeOf("iso-mine"), "look.out")]);
        var asAlice = await Command.RunAsync("setpriv", ["--reuid=" + Platform.Person("alice"), "--regid=" + Platform.Person("alice"), "--init-groups", "--", "cat", Path.Combine(platform.HomeOf("iso-mine"), "look.out")]);
        Assert.NotEqual(0, asBob.ExitCode);
        Assert.Equal(0, asAlice.ExitCode);
    }

    [RootFact]
    public async Task Status_says_what_keeps_tools_apart_and_what_they_share()
    {
        using var client = platform.RootClient();

        var status = await client.GetFromJsonAsync<JsonElement>("/api/v1/status");

        var detail = status.GetProperty("modeDetail").GetString();
        Assert.DoesNotContain("isolated from the others", detail, StringComparison.Ordinal);
        Assert.Contains("Kept apart: its home (mode 2770: no access for other tools or users); each run's own /proc (only its tool's processes), /tmp, /var/tmp and /dev/shm; each run's cgroup limits", detail, StringComparison.Ordinal);
        Assert.Contains("Shared by all tools: the network", detail, StringComparison.Ordinal);
    }

    private static async Task<int> WaitForPidAsync(string user)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (true)
        {
            var found = await Command.RunAsync("pgrep", ["-u", user, "-x", "sleep"]);
            if (found.ExitCode == 0)
            {
                return int.Parse(found.Stdout.Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"no process of {user}");
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }
    }
}
