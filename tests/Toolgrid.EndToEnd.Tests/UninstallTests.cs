namespace Toolgrid.EndToEnd.Tests;

/// <summary>A platform of its own, since the test stops it and removes what it made.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class UninstallShared : ICollectionFixture<Platform>
{
    public const string Name = "uninstall";
}

/// <summary><c>toolgridd uninstall</c> on a real host: what toolgridd made goes, users and homes stay.</summary>
[Collection(UninstallShared.Name)]
public sealed class UninstallTests(Platform platform)
{
    [RootFact]
    public async Task Uninstall_refuses_while_toolgridd_runs_then_removes_what_it_made_and_keeps_users_and_homes()
    {
        await platform.MustAsync("alice", "tools", "create", "leaving");
        await platform.MustAsync("alice", "jobs", "run", "once", "--tool", "leaving", "--command", "echo hi", "--wait");

        var refused = await UninstallAsync();
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("is running", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was removed", refused.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Platform.SudoersFile));

        await platform.MustAsync("alice", "tools", "delete", "leaving", "--yes");
        await platform.StopAsync();
        Assert.True(File.Exists(Platform.SudoersFile), "toolgridd's stop removed its sudoers drop-in: the test shows nothing");
        Assert.NotEmpty(CgroupParents());

        var result = await UninstallAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(File.Exists(Platform.SudoersFile), "the sudoers drop-in is left");
        Assert.Empty(CgroupParents());
        Assert.False(File.Exists(platform.Socket), "the API socket is left");
        Assert.Equal(0, (await Command.RunAsync("getent", ["passwd", Platform.ToolPrefix + "leaving"])).ExitCode);
        Assert.True(File.Exists(Path.Combine(platform.HomeOf("leaving"), "once.out")), "the tool's home was removed");
        Assert.True(Directory.Exists(platform.StateDirectory), "the state directory was removed without --remove-state");
        Assert.Contains("kept: the tools' homes", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("kept: the tools' Unix users and groups", result.Stdout, StringComparison.Ordinal);
    }

    private static List<string> CgroupParents() =>
        [.. Directory.GetDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup").Select(h => Path.Combine(h, Platform.CgroupParent)).Where(Directory.Exists)];

    private Task<CommandResult> UninstallAsync() =>
        Command.RunAsync(Platform.Toolgridd, ["uninstall", .. platform.ServerArguments()], timeout: TimeSpan.FromSeconds(60));
}
