using System.Globalization;
using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// <c>toolgrid become</c> through the real sudo and the drop-in toolgridd keeps, and the tool's
/// own credentials for the API.
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
    public async Task The_tool_acts_for_itself_over_TCP_with_a_token_only_it_can_read()
    {
        const string tool = "become-cred";
        var unixUser = WrapperHarness.ToolUser(tool);
        await platform.MustAsync("alice", "tools", "create", tool);
        var home = platform.HomeOf(tool);
        var directory = Path.Combine(home, ".toolgrid");
        var file = Path.Combine(directory, "token");
        var uid = int.Parse((await Command.MustAsync("id", "-u", unixUser)).Trim(), CultureInfo.InvariantCulture);
        Assert.Equal(uid, int.Parse((await Command.MustAsync("stat", "-c", "%u", file)).Trim(), CultureInfo.InvariantCulture));
        Assert.Equal("600", (await Command.MustAsync("stat", "-c", "%a", file)).Trim());
        Assert.Equal("700", (await Command.MustAsync("stat", "-c", "%a", directory)).Trim());

        // A maintainer (in the tool's group) cannot read it.
        var peek = await Command.RunAsync("setpriv", ["--reuid=" + Platform.Person("alice"), "--regid=" + Platform.Person("alice"), "--init-groups", "--reset-env", "--", "cat", file]);
        Assert.NotEqual(0, peek.ExitCode);

        // The tool, over TCP, with no TOOLGRID_TOKEN: the CLI finds the token and acts for the tool.
        var tcp = new Dictionary<string, string> { ["TOOLGRID_API"] = $"http://127.0.0.1:{platform.Port.ToString(CultureInfo.InvariantCulture)}" };
        var whoami = await WrapperHarness.RunAsync(platform, unixUser, home, "toolgrid", tcp, "whoami", "--json");
        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        using (var json = JsonDocument.Parse(whoami.Stdout))
        {
            Assert.Equal(tool, json.RootElement.GetProperty("tool").GetString());
            Assert.Equal("token", json.RootElement.GetProperty("via").GetString());
        }

        var submitted = await WrapperHarness.RunAsync(platform, unixUser, home, "toolgrid", tcp, "jobs", "run", "over-tcp", "--command", "true", "--wait");
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        Assert.Equal(unixUser, (await platform.JobAsync(tool, "over-tcp")).GetProperty("createdBy").GetString());

        // Deleting the tool revokes it.
        await platform.MustAsync("alice", "tools", "delete", tool, "--yes");
        var after = await WrapperHarness.RunAsync(platform, unixUser, home, "toolgrid", tcp, "whoami");
        Assert.True(after.ExitCode != 0, after.ToString());
        Assert.Contains("revoked", after.Stderr, StringComparison.Ordinal);
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
