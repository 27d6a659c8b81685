using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>Tool accounts as a new user meets them: create, maintainers, isolation of homes, delete.</summary>
[Collection(SharedPlatform.Name)]
public sealed class ToolAccountTests(Platform platform)
{
    [RootFact]
    public async Task A_person_creates_a_tool_and_gets_a_Unix_user_a_home_and_public_html()
    {
        await platform.MustAsync("alice", "tools", "create", "acct-one", "--description", "first tool");

        var passwd = (await File.ReadAllLinesAsync("/etc/passwd")).Single(l => l.StartsWith(Platform.ToolPrefix + "acct-one:", StringComparison.Ordinal)).Split(':');
        Assert.Equal(passwd[2], passwd[3]);
        Assert.InRange(int.Parse(passwd[2], System.Globalization.CultureInfo.InvariantCulture), Platform.UidMin, Platform.UidMax);
        var home = platform.HomeOf("acct-one");
        Assert.True(Directory.Exists(Path.Combine(home, "public_html")));

        // The maintainer is in the tool's group and can work in its home.
        await Command.MustAsync("setpriv", "--reuid=" + Platform.Person("alice"), "--regid=" + Platform.Person("alice"), "--init-groups", "--reset-env", "--", "/bin/sh", "-c", $"echo hi > {home}/notes.txt");

        // Another person cannot write there.
        var bob = await Command.RunAsync("setpriv", ["--reuid=" + Platform.Person("bob"), "--regid=" + Platform.Person("bob"), "--init-groups", "--reset-env", "--", "/bin/sh", "-c", $"echo no > {home}/bob.txt"]);
        Assert.NotEqual(0, bob.ExitCode);

        var show = await platform.MustAsync("bob", "tools", "show", "acct-one", "--json");
        using var json = JsonDocument.Parse(show);
        Assert.Equal(Platform.Person("alice"), json.RootElement.GetProperty("maintainers")[0].GetProperty("user").GetString());
    }

    [RootFact]
    public async Task Maintainers_are_added_and_removed_and_get_group_membership()
    {
        await platform.MustAsync("alice", "tools", "create", "acct-two");
        await platform.MustAsync("alice", "maintainers", "add", "acct-two", Platform.Person("bob"));
        var groups = await Command.MustAsync("id", "-Gn", Platform.Person("bob"));
        Assert.Contains(Platform.ToolPrefix + "acct-two", groups, StringComparison.Ordinal);

        var list = await platform.MustAsync("bob", "maintainers", "list", "acct-two");
        Assert.Contains(Platform.Person("alice"), list, StringComparison.Ordinal);

        await platform.MustAsync("bob", "maintainers", "remove", "acct-two", Platform.Person("alice"));
        groups = await Command.MustAsync("id", "-Gn", Platform.Person("alice"));
        Assert.DoesNotContain(Platform.ToolPrefix + "acct-two", groups, StringComparison.Ordinal);

        // The last maintainer cannot be removed.
        var last = await platform.CliAsync("bob", "maintainers", "remove", "acct-two", Platform.Person("bob"));
        Assert.Equal(1, last.ExitCode);
        Assert.Contains("last maintainer", last.Stderr, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Deleting_a_tool_stops_its_jobs_locks_its_account_and_keeps_its_files()
    {
        await platform.MustAsync("alice", "tools", "create", "acct-gone");
        await platform.MustAsync("alice", "jobs", "run", "sleeper", "--command", "sleep 300", "--tool", "acct-gone");
        await platform.WaitForRunAsync("acct-gone", "sleeper", run => run.GetProperty("state").GetString() == "running");
        var home = platform.HomeOf("acct-gone");
        await File.WriteAllTextAsync(Path.Combine(home, "keep.txt"), "data");

        var runId = (await platform.JobAsync("acct-gone", "sleeper")).GetProperty("runs")[0].GetProperty("id").GetInt64();

        await platform.MustAsync("alice", "tools", "delete", "acct-gone", "--yes");

        // The run is stopped, recorded as killed because the tool was deleted, and its process is gone.
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (!platform.Log.Contains($"Run {runId} of acct-gone/sleeper is Killed (ToolDeleted)", StringComparison.Ordinal))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, platform.Log);
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        // Its processes go with the run: waited for, as the kill and the reaping take their time.
        await WrapperHarness.WaitUntilAsync(
            async () => (await Command.RunAsync("pgrep", ["-c", "-u", Platform.ToolPrefix + "acct-gone"])).Stdout.Trim() == "0",
            () => "acct-gone's processes to end",
            TimeSpan.FromSeconds(60));
        Assert.True(File.Exists(Path.Combine(home, "keep.txt")));
        var shadow = (await File.ReadAllLinesAsync("/etc/shadow")).Single(l => l.StartsWith(Platform.ToolPrefix + "acct-gone:", StringComparison.Ordinal));
        Assert.StartsWith("!", shadow.Split(':')[1], StringComparison.Ordinal);

        var again = await platform.CliAsync("alice", "jobs", "run", "more", "--command", "true", "--tool", "acct-gone");
        Assert.NotEqual(0, again.ExitCode);
    }
}
