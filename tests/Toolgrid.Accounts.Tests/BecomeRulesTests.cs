using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Accounts;
using Toolgrid.Core.Errors;

namespace Toolgrid.Accounts.Tests;

/// <summary>The sudoers drop-in of <c>become</c>, with the real sudo: who can <c>sudo -niu</c> a tool's user, and who cannot.</summary>
[Collection(SharedUserDatabase.Name)]
public sealed class BecomeRulesTests : IDisposable
{
    private const string SudoersFile = HostAccounts.SudoersFile;

    private readonly HostAccounts _host = new();

    public void Dispose() => _host.Dispose();

    [SudoFact]
    public async Task Sync_WritesALinePerActiveTool_ThatVisudoAccepts()
    {
        var alice = HostAccounts.MakePerson("alice");
        var bob = HostAccounts.MakePerson("bob");
        var accounts = _host.Accounts();
        await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        await accounts.CreateAsync("beta", bob.Name, CancellationToken.None);
        await accounts.AddMaintainerAsync("beta", alice.Name, CancellationToken.None);
        File.Delete(SudoersFile);

        await accounts.SyncBecomeRulesAsync(["beta", "alpha"], CancellationToken.None);

        Assert.Equal(
            ["tgacct-alice, tgacct.alpha ALL=(tgacct.alpha) NOPASSWD: ALL", "tgacct-alice, tgacct-bob, tgacct.beta ALL=(tgacct.beta) NOPASSWD: ALL"],
            RuleLines());
        Assert.Equal((0, 0, "440"), HostAccounts.Stat(SudoersFile));
        var check = Command.Run(HostSudo.Visudo, "-c", "-f", SudoersFile);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Empty(Leftovers());
    }

    [SudoFact]
    public async Task AMaintainer_CanBecomeTheTool_AndSomeoneElseCannot()
    {
        var alice = HostAccounts.MakePerson("alice");
        var mallory = HostAccounts.MakePerson("mallory");
        var accounts = _host.Accounts();
        await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        await accounts.SyncBecomeRulesAsync(["alpha"], CancellationToken.None);

        var maintainer = Become(alice, "tgacct.alpha");
        var stranger = Become(mallory, "tgacct.alpha");

        Assert.True(maintainer.ExitCode == 0, maintainer.ToString());
        Assert.Equal("tgacct.alpha", maintainer.Stdout.Trim());
        Assert.NotEqual(0, stranger.ExitCode);
        Assert.Contains("password is required", stranger.Stderr, StringComparison.Ordinal);
    }

    [SudoFact]
    public async Task TheToolItself_CanBecomeItself_ButNotAnotherTool()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        await accounts.CreateAsync("beta", alice.Name, CancellationToken.None);
        await accounts.SyncBecomeRulesAsync(["alpha", "beta"], CancellationToken.None);
        var alpha = HostAccounts.Passwd("tgacct.alpha")!;

        Assert.Equal(0, Become(alpha, "tgacct.alpha").ExitCode);
        Assert.NotEqual(0, Become(alpha, "tgacct.beta").ExitCode);
    }

    [SudoFact]
    public async Task ANewMaintainer_CanBecomeTheTool_WithoutASync()
    {
        var alice = HostAccounts.MakePerson("alice");
        var bob = HostAccounts.MakePerson("bob");
        var accounts = _host.Accounts();
        await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        await accounts.SyncBecomeRulesAsync(["alpha"], CancellationToken.None);
        Assert.NotEqual(0, Become(bob, "tgacct.alpha").ExitCode);

        await accounts.AddMaintainerAsync("alpha", bob.Name, CancellationToken.None);

        var result = Become(bob, "tgacct.alpha");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [SudoFact]
    public async Task ARemovedMaintainer_LosesIt_EvenInASessionOpenedBefore()
    {
        var alice = HostAccounts.MakePerson("alice");
        var bob = HostAccounts.MakePerson("bob");
        var accounts = _host.Accounts();
        await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        await accounts.AddMaintainerAsync("alpha", bob.Name, CancellationToken.None);
        await accounts.SyncBecomeRulesAsync(["alpha"], CancellationToken.None);
        var toolGid = HostAccounts.Group("tgacct.alpha")!.Gid;
        Assert.Equal(0, Become(bob, "tgacct.alpha").ExitCode);

        await accounts.RemoveMaintainerAsync("alpha", bob.Name, CancellationToken.None);

        // A new login, and a shell that still has the tool's group from before the removal.
        Assert.NotEqual(0, Become(bob, "tgacct.alpha").ExitCode);
        Assert.NotEqual(0, Command.Run(
            "/usr/bin/setpriv", $"--reuid={bob.Uid}", $"--regid={bob.Gid}", $"--groups={bob.Gid},{toolGid}", "--reset-env", "--",
            HostSudo.Sudo, "-niu", "tgacct.alpha", "true").ExitCode);
        Assert.Equal(0, Become(alice, "tgacct.alpha").ExitCode);
    }

    [SudoFact]
    public async Task ADisabledTool_LosesItsLine_AndAStaleListDoesNotBringItBack()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        await accounts.CreateAsync("beta", alice.Name, CancellationToken.None);
        await accounts.SyncBecomeRulesAsync(["alpha", "beta"], CancellationToken.None);

        await accounts.DisableAsync("alpha", CancellationToken.None);

        Assert.Equal(["tgacct-alice, tgacct.beta ALL=(tgacct.beta) NOPASSWD: ALL"], RuleLines());
        Assert.NotEqual(0, Become(alice, "tgacct.alpha").ExitCode);

        await accounts.SyncBecomeRulesAsync(["alpha", "beta"], CancellationToken.None);

        Assert.Equal(["tgacct-alice, tgacct.beta ALL=(tgacct.beta) NOPASSWD: ALL"], RuleLines());
        Assert.Equal(0, Become(alice, "tgacct.beta").ExitCode);
    }

    [SudoFact]
    public async Task Sync_LeavesOutToolsNoLongerActive()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        await accounts.CreateAsync("beta", alice.Name, CancellationToken.None);
        await accounts.SyncBecomeRulesAsync(["alpha", "beta"], CancellationToken.None);

        await accounts.SyncBecomeRulesAsync(["beta"], CancellationToken.None);

        Assert.Equal(["tgacct-alice, tgacct.beta ALL=(tgacct.beta) NOPASSWD: ALL"], RuleLines());
        Assert.NotEqual(0, Become(alice, "tgacct.alpha").ExitCode);
    }

    [SudoFact]
    public async Task Sync_Again_LeavesTheFileAlone()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        await accounts.SyncBecomeRulesAsync(["alpha"], CancellationToken.None);
        var inode = HostAccounts.Inode(SudoersFile);

        await accounts.SyncBecomeRulesAsync(["alpha"], CancellationToken.None);
        await _host.Accounts().SyncBecomeRulesAsync(["alpha", "alpha"], CancellationToken.None);

        Assert.Equal(inode, HostAccounts.Inode(SudoersFile));
    }

    [SudoFact]
    public async Task Sync_OverACorruptFile_ReplacesItWithAValidOne()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        File.WriteAllText(SudoersFile, "this is ( not sudoers\n");

        await accounts.SyncBecomeRulesAsync(["alpha"], CancellationToken.None);

        Assert.Equal(["tgacct-alice, tgacct.alpha ALL=(tgacct.alpha) NOPASSWD: ALL"], RuleLines());
        Assert.Equal(0, Command.Run(HostSudo.Visudo, "-c", "-f", SudoersFile).ExitCode);
        Assert.Equal(0, Become(alice, "tgacct.alpha").ExitCode);
    }

    [SudoFact]
    public async Task Replace_WithTextVisudoRefuses_KeepsTheOldFileAndSaysWhy()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        await accounts.SyncBecomeRulesAsync(["alpha"], CancellationToken.None);
        var before = File.ReadAllText(SudoersFile);
        var sudoers = new SudoersFile(SudoersFile, new ShadowPrograms(TimeProvider.System, TimeSpan.FromMinutes(1), NullLogger.Instance));

        var e = await Assert.ThrowsAsync<ToolgridException>(() => sudoers.ReplaceAsync("tgacct-alice ALL=(tgacct.alpha NOPASSWD: ALL\n", HostSudo.Visudo, CancellationToken.None));

        Assert.Equal("become-rules-invalid", e.ErrorCode);
        Assert.Contains("syntax error", e.Message, StringComparison.Ordinal);
        Assert.Contains("left as it was", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(SudoersFile));
        Assert.Empty(Leftovers());
        Assert.Equal(0, Become(alice, "tgacct.alpha").ExitCode);
    }

    [RootFact]
    public async Task Sync_InSingleUserMode_WritesNothing()
    {
        File.Delete(SudoersFile);

        await _host.Accounts(AccountMode.SingleUser).SyncBecomeRulesAsync(["alpha"], CancellationToken.None);

        Assert.False(File.Exists(SudoersFile));
    }

    [RootFact]
    public async Task Sync_TurnedOff_WritesNothing()
    {
        var alice = HostAccounts.MakePerson("alice");
        var options = _host.Options();
        options.SudoersFile = "";
        var accounts = new ToolAccounts(new UnixUserDatabase(), Options.Create(options), TimeProvider.System, NullLogger<ToolAccounts>.Instance);
        await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);

        await accounts.SyncBecomeRulesAsync(["alpha"], CancellationToken.None);

        Assert.False(File.Exists(SudoersFile));
    }

    [Fact]
    public async Task Sync_NotAToolName_IsRefused()
    {
        var accounts = _host.Accounts(AccountMode.SingleUser);

        var e = await Assert.ThrowsAsync<ValidationException>(() => accounts.SyncBecomeRulesAsync(["alpha", "ALL=(root)"], CancellationToken.None));

        Assert.Equal("activeTools", Assert.Single(e.Problems).Field);
    }

    [Fact]
    public void Render_ThenRead_GivesTheToolsBack()
    {
        var text = BecomeRules.Render([
            new BecomeRule("beta", "tools.beta", ["bob", "tools.beta"]),
            new BecomeRule("alpha", "tools.alpha", ["alice", "bob", "tools.alpha"]),
        ]);

        Assert.Equal(["tools.alpha", "tools.beta"], BecomeRules.UnixUsersIn(text));
        Assert.Contains("\n# tool alpha\nalice, bob, tools.alpha ALL=(tools.alpha) NOPASSWD: ALL\n", text, StringComparison.Ordinal);
        Assert.Empty(BecomeRules.UnixUsersIn("root ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL) NOPASSWD: ALL\n"));
    }

    /// <summary>Runs <c>sudo -niu TARGET id -un</c> as <paramref name="user"/>, as a new login would (its groups from the database).</summary>
    private static CommandResult Become(PasswdEntry user, string target) =>
        Command.Run("/usr/bin/setpriv", $"--reuid={user.Uid}", $"--regid={user.Gid}", "--init-groups", "--reset-env", "--", HostSudo.Sudo, "-niu", target, "id", "-un");

    private static string[] RuleLines() =>
        File.ReadAllLines(SudoersFile).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    private static string[] Leftovers() =>
        Directory.EnumerateFiles(Path.GetDirectoryName(SudoersFile)!, "." + HostAccounts.Marker + ".*").ToArray();
}
