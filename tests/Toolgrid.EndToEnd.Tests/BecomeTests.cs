namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// <c>toolgrid become</c> through the real sudo and the drop-in toolgridd keeps (what the tool
/// itself may do through the API: <see cref="ToolIdentityTests"/>).
/// </summary>
[Collection(SharedPlatform.Name)]
public sealed class BecomeTests(Platform platform)
{
    [RootFact]
    public async Task A_maintainer_becomes_the_tool_others_cannot_and_a_removed_maintainer_loses_the_rule()
    {
        const string tool = "become-one";
        var unixUser = WrapperHarness.ToolUser(tool);
        await platform.MustAsync("alice", "tools", "create", tool);
        Assert.Contains($"{Platform.Person("alice")}, {unixUser} ALL=({unixUser}) NOPASSWD: ALL", await File.ReadAllTextAsync(Platform.SudoersFile), StringComparison.Ordinal);

        // As the tool, in its home, through sudo's login shell.
        var become = await platform.CliAsync("alice", "become", tool, "--", "sh", "-c", "id -un; pwd");
        Assert.True(become.ExitCode == 0, become.ToString());
        Assert.Equal([unixUser, platform.HomeOf(tool)], become.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // One word is a shell line; a multi-line script and words with quotes, '$', ';' and
        // newlines reach the command as typed.
        var shellLine = await platform.CliAsync("alice", "become", tool, "--", "id -un; pwd");
        Assert.True(shellLine.ExitCode == 0, shellLine.ToString());
        Assert.Equal([unixUser, platform.HomeOf(tool)], shellLine.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var script = await platform.CliAsync("alice", "become", tool, "--", "sh", "-c", "printf '[%s]' \"$@\"\necho\necho done", "sh", "a 'b' $c;", "x\ny");
        Assert.True(script.ExitCode == 0, script.ToString());
        Assert.Equal("[a 'b' $c;][x\ny]\ndone\n", script.Stdout);

        // Someone else is refused, by the CLI with the reason, and by sudo itself.
        var refused = await platform.CliAsync("bob", "become", tool, "--", "id", "-un");
        Assert.True(refused.ExitCode == 77, refused.ToString());
        Assert.Contains("not a maintainer", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(unixUser, refused.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, (await SudoAsync("bob", unixUser)).ExitCode);

        // Added, bob may; removed, the rule goes at once.
        await platform.MustAsync("alice", "maintainers", "add", tool, Platform.Person("bob"));
        var added = await platform.CliAsync("bob", "become", tool, "--", "id", "-un");
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Equal(unixUser, added.Stdout.Trim());

        await platform.MustAsync("alice", "maintainers", "remove", tool, Platform.Person("bob"));
        var line = (await File.ReadAllLinesAsync(Platform.SudoersFile)).Single(l => l.Contains($"ALL=({unixUser})", StringComparison.Ordinal));
        Assert.DoesNotContain(Platform.Person("bob"), line, StringComparison.Ordinal);
        var sudo = await SudoAsync("bob", unixUser);
        Assert.True(sudo.ExitCode != 0, sudo.ToString());
        var gone = await platform.CliAsync("bob", "become", tool, "--", "id", "-un");
        Assert.True(gone.ExitCode == 77, gone.ToString());

        // A deleted tool has no line, and cannot be become.
        await platform.MustAsync("alice", "tools", "delete", tool, "--yes");
        Assert.DoesNotContain($"ALL=({unixUser})", await File.ReadAllTextAsync(Platform.SudoersFile), StringComparison.Ordinal);
        Assert.NotEqual(0, (await SudoAsync("alice", unixUser)).ExitCode);
    }

    [RootFact]
    public async Task Toolgridd_puts_the_rules_back_in_step_with_the_store_when_it_starts()
    {
        const string tool = "become-sync";
        var unixUser = WrapperHarness.ToolUser(tool);
        await platform.MustAsync("alice", "tools", "create", tool);

        // The drop-in lost (edited by hand, or written by an older toolgridd).
        await File.WriteAllTextAsync(Platform.SudoersFile, "# emptied\n");
        await platform.StopAsync();
        await platform.StartAsync();

        var rule = $"{Platform.Person("alice")}, {unixUser} ALL=({unixUser}) NOPASSWD: ALL";
        await WrapperHarness.WaitUntilAsync(
            async () => (await File.ReadAllTextAsync(Platform.SudoersFile)).Contains(rule, StringComparison.Ordinal),
            () => File.ReadAllText(Platform.SudoersFile) + "\n" + platform.Log,
            TimeSpan.FromSeconds(60));
        Assert.Equal("440", (await Command.MustAsync("stat", "-c", "%a", Platform.SudoersFile)).Trim());
        var sudo = await SudoAsync("alice", unixUser);
        Assert.True(sudo.ExitCode == 0, sudo.ToString());
    }

    /// <summary>Asks sudo, as <paramref name="person"/>, without a password, to run <c>true</c> as <paramref name="unixUser"/>.</summary>
    private static Task<CommandResult> SudoAsync(string person, string unixUser)
    {
        var name = Platform.Person(person);
        return Command.RunAsync("setpriv", ["--reuid=" + name, "--regid=" + name, "--init-groups", "--reset-env", "--", "sudo", "-n", "-u", unixUser, "true"]);
    }
}
