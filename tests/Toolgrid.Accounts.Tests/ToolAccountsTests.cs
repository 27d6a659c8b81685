using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Accounts;
using Toolgrid.Core.Errors;

namespace Toolgrid.Accounts.Tests;

[Collection(SharedUserDatabase.Name)]
public sealed class ToolAccountsTests : IDisposable
{
    private readonly HostAccounts _host = new();

    public void Dispose() => _host.Dispose();

    [RootFact]
    public void Mode_AsRoot_IsMultiUserWithThePrefix()
    {
        var accounts = _host.Accounts();

        Assert.Equal(AccountMode.MultiUser, accounts.Mode);
        Assert.Equal(HostAccounts.ToolPrefix, accounts.UnixUserPrefix);
    }

    [RootFact]
    public async Task IsToolUser_TellsToolsUsersByPrefixOrUidFromEveryoneElse()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        var tool = await accounts.CreateAsync("upsilon", alice.Name, CancellationToken.None);

        Assert.True(accounts.IsToolUser(tool.UnixUser, null));
        Assert.True(accounts.IsToolUser(HostAccounts.ToolPrefix + "gone", null));
        Assert.True(accounts.IsToolUser("renamed", HostAccounts.UidMin + 5));
        Assert.False(accounts.IsToolUser(alice.Name, null));
        Assert.False(accounts.IsToolUser(alice.Name, alice.Uid));
        Assert.False(accounts.IsToolUser("root", 0));
        Assert.False(_host.Accounts(AccountMode.SingleUser).IsToolUser(tool.UnixUser, null));
    }

    [RootFact]
    public async Task CreateAsync_MakesUserGroupHomeAndMembership()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();

        var account = await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);

        var user = HostAccounts.Passwd("tgacct.alpha");
        var group = HostAccounts.Group("tgacct.alpha");
        Assert.NotNull(user);
        Assert.NotNull(group);
        Assert.Equal(new ToolAccount("tgacct.alpha", user.Uid, user.Uid, Path.Combine(_host.DataRoot, "alpha")), account);
        Assert.InRange(user.Uid, HostAccounts.UidMin, HostAccounts.UidMax);
        Assert.Equal(user.Uid, user.Gid);
        Assert.Equal(user.Uid, group.Gid);
        Assert.Equal(account.Home, user.Home);
        Assert.Equal("/bin/bash", user.Shell);
        Assert.Equal("Toolgrid tool alpha", user.Comment);
        Assert.Equal([alice.Name], group.Members);
        Assert.Equal((user.Uid, user.Uid, "2770"), HostAccounts.Stat(account.Home));
        Assert.Equal((user.Uid, user.Uid, "2770"), HostAccounts.Stat(Path.Combine(account.Home, "public_html")));
    }

    [RootFact]
    public async Task CreateAsync_MakesAHomeThatOtherPeopleCannotEnter_ButMaintainersCan()
    {
        var alice = HostAccounts.MakePerson("alice");
        var bob = HostAccounts.MakePerson("bob");
        var account = await _host.Accounts().CreateAsync("closed", alice.Name, CancellationToken.None);
        File.WriteAllText(Path.Combine(account.Home, "code.py"), "secret");

        var asBob = Command.RunAs(bob.Uid, bob.Gid, "cat \"$1\"", Path.Combine(account.Home, "code.py"));
        var asAlice = Command.RunAs(alice.Uid, alice.Gid, "ls \"$1\"", Path.Combine(account.Home, "public_html"));

        Assert.NotEqual(0, asBob.ExitCode);
        Assert.Contains("Permission denied", asBob.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, asAlice.ExitCode);
    }

    [RootFact]
    public async Task CreateAsync_WithAnotherHomeMode_GivesHomesThatMode()
    {
        var alice = HostAccounts.MakePerson("alice");
        var options = _host.Options();
        options.HomeMode = "02775";

        var account = await HostAccounts.Accounts(options).CreateAsync("open", alice.Name, CancellationToken.None);

        Assert.Equal("2775", HostAccounts.Stat(account.Home).Mode);
        Assert.Equal("2775", HostAccounts.Stat(Path.Combine(account.Home, "public_html")).Mode);
    }

    [RootFact]
    public async Task RepairHomes_BringsHomesMadeOpenToTheConfiguredMode_AndLeavesMissingOnesMissing()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        var account = await accounts.CreateAsync("old", alice.Name, CancellationToken.None);
        File.SetUnixFileMode(account.Home, (UnixFileMode)0b010_111_111_101);
        File.SetUnixFileMode(Path.Combine(account.Home, "public_html"), (UnixFileMode)0b010_111_111_101);

        var problems = accounts.RepairHomes(["old", "gone"]);

        Assert.Empty(problems);
        Assert.Equal("2770", HostAccounts.Stat(account.Home).Mode);
        Assert.Equal("2770", HostAccounts.Stat(Path.Combine(account.Home, "public_html")).Mode);
        Assert.False(Directory.Exists(Path.Combine(_host.DataRoot, "gone")));
    }

    [RootFact]
    public async Task CreateAsync_Again_ReturnsTheSameAccount()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        var first = await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);

        var second = await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        var third = await _host.Accounts().CreateAsync("alpha", alice.Name, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(first, third);
        Assert.Equal([alice.Name], HostAccounts.Group("tgacct.alpha")!.Members);
    }

    [RootFact]
    public async Task CreateAsync_AfterACrashBeforeTheUser_FinishesWithTheGroupsId()
    {
        var alice = HostAccounts.MakePerson("alice");
        Command.Succeed("/usr/sbin/groupadd", "--gid", "61500", "tgacct.beta");

        var account = await _host.Accounts().CreateAsync("beta", alice.Name, CancellationToken.None);

        Assert.Equal(new ToolAccount("tgacct.beta", 61500, 61500, Path.Combine(_host.DataRoot, "beta")), account);
        Assert.Equal(61500, HostAccounts.Passwd("tgacct.beta")!.Uid);
        Assert.Equal((61500, 61500, "2770"), HostAccounts.Stat(Path.Combine(account.Home, "public_html")));
    }

    [RootFact]
    public async Task CreateAsync_AfterACrashBeforeTheHome_MakesTheHome()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        var first = await accounts.CreateAsync("gamma", alice.Name, CancellationToken.None);
        Directory.Delete(first.Home, recursive: true);
        Command.Succeed("/usr/bin/gpasswd", "--delete", alice.Name, "tgacct.gamma");

        var again = await accounts.CreateAsync("gamma", alice.Name, CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Equal((first.Uid, first.Gid, "2770"), HostAccounts.Stat(Path.Combine(again.Home, "public_html")));
        Assert.Equal([alice.Name], HostAccounts.Group("tgacct.gamma")!.Members);
    }

    [RootFact]
    public async Task CreateAsync_WhenTheToolPutALinkForPublicHtml_RefusesAndLeavesTheTargetAlone()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        var account = await accounts.CreateAsync("delta", alice.Name, CancellationToken.None);
        var target = Path.Combine(_host.DataRoot, "roots-own");
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, (UnixFileMode)0x1C0);
        var publicHtml = Path.Combine(account.Home, "public_html");
        Directory.Delete(publicHtml);
        File.CreateSymbolicLink(publicHtml, target);

        var e = await Assert.ThrowsAsync<ToolgridException>(() => accounts.CreateAsync("delta", alice.Name, CancellationToken.None));

        Assert.Equal(ErrorKind.Unavailable, e.Kind);
        Assert.Contains("symbolic link", e.Message, StringComparison.Ordinal);
        Assert.Equal((0, 0, "700"), HostAccounts.Stat(target));
    }

    [RootFact]
    public async Task CreateAsync_WithoutADataRoot_MakesOneEveryToolCanEnter()
    {
        var alice = HostAccounts.MakePerson("alice");
        var options = _host.Options();
        options.DataRoot = Path.Combine(_host.DataRoot, "not", "yet");
        var accounts = new ToolAccounts(new UnixUserDatabase(), Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ToolAccounts>.Instance);

        var account = await accounts.CreateAsync("upsilon", alice.Name, CancellationToken.None);

        Assert.Equal("755", HostAccounts.Stat(options.DataRoot).Mode);
        Assert.Equal(0, Command.RunAs(account.Uid, account.Gid, "echo ok > \"$1\"", Path.Combine(account.Home, "public_html", "index.html")).ExitCode);
    }

    [RootFact]
    public async Task CreateAsync_Concurrently_GivesEveryToolItsOwnId()
    {
        var alice = HostAccounts.MakePerson("alice");
        var one = _host.Accounts();
        var other = _host.Accounts();
        var tools = Enumerable.Range(0, 6).Select(i => $"par{i}").ToArray();

        var accounts = await Task.WhenAll(tools.Select((tool, i) => Task.Run(() => (i % 2 == 0 ? one : other).CreateAsync(tool, alice.Name, CancellationToken.None), CancellationToken.None)));

        Assert.Equal(tools.Length, accounts.Select(a => a.Uid).Distinct().Count());
        foreach (var (tool, account) in tools.Zip(accounts))
        {
            var user = HostAccounts.Passwd("tgacct." + tool)!;
            Assert.Equal(account.Uid, user.Uid);
            Assert.Equal(user.Uid, user.Gid);
            Assert.Equal(user.Uid, HostAccounts.Group("tgacct." + tool)!.Gid);
        }
    }

    [RootFact]
    public async Task CreateAsync_SameToolConcurrently_GivesOneAccount()
    {
        var alice = HostAccounts.MakePerson("alice");

        var accounts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => _host.Accounts().CreateAsync("same", alice.Name, CancellationToken.None), CancellationToken.None)));

        Assert.Single(accounts.Distinct());
    }

    [RootFact]
    public async Task CreateAsync_SkipsIdsTakenByUsersOrGroups()
    {
        var alice = HostAccounts.MakePerson("alice");
        Command.Succeed("/usr/sbin/groupadd", "--gid", "61000", "tgacct-taken-gid");
        Command.Succeed("/usr/sbin/useradd", "--system", "--no-user-group", "--gid", "61000", "--uid", "61001", "--no-create-home", "tgacct-taken-uid");

        var firstFree = Enumerable.Range(HostAccounts.UidMin, 1000).First(id =>
            Command.Run("/usr/bin/getent", "passwd", $"{id}").ExitCode == 2 && Command.Run("/usr/bin/getent", "group", $"{id}").ExitCode == 2);

        var account = await _host.Accounts().CreateAsync("epsilon", alice.Name, CancellationToken.None);

        Assert.True(firstFree >= 61002, $"61000 and 61001 are taken, yet {firstFree} is free");
        Assert.Equal(firstFree, account.Uid);
    }

    [RootFact]
    public async Task CreateAsync_NameOfAGroupThatIsNotOurs_IsRefusedAndNothingIsMade()
    {
        var alice = HostAccounts.MakePerson("alice");
        Command.Succeed("/usr/sbin/groupadd", "--system", "tgacct.foreign");

        var e = await Assert.ThrowsAsync<ToolgridException>(() => _host.Accounts().CreateAsync("foreign", alice.Name, CancellationToken.None));

        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal("unix-account-not-ours", e.ErrorCode);
        Assert.Contains("outside the tools' range", e.Message, StringComparison.Ordinal);
        Assert.Null(HostAccounts.Passwd("tgacct.foreign"));
        Assert.False(Directory.Exists(Path.Combine(_host.DataRoot, "foreign")));
    }

    [RootFact]
    public async Task CreateAsync_NameOfAUserThatIsNotOurs_IsRefused()
    {
        var alice = HostAccounts.MakePerson("alice");
        Command.Succeed("/usr/sbin/useradd", "--system", "--user-group", "--no-create-home", "tgacct.stranger");

        var e = await Assert.ThrowsAsync<ToolgridException>(() => _host.Accounts().CreateAsync("stranger", alice.Name, CancellationToken.None));

        Assert.Equal("unix-account-not-ours", e.ErrorCode);
        Assert.DoesNotContain(alice.Name, HostAccounts.Group("tgacct.stranger")!.Members);
    }

    [RootFact]
    public async Task CreateAsync_UidAndGidThatDiffer_AreRefused()
    {
        var alice = HostAccounts.MakePerson("alice");
        Command.Succeed("/usr/sbin/groupadd", "--gid", "61700", "tgacct.odd");
        Command.Succeed("/usr/sbin/useradd", "--uid", "61701", "--gid", "61700", "--no-create-home", "tgacct.odd");

        var e = await Assert.ThrowsAsync<ToolgridException>(() => _host.Accounts().CreateAsync("odd", alice.Name, CancellationToken.None));

        Assert.Equal("unix-account-not-ours", e.ErrorCode);
    }

    [RootFact]
    public async Task CreateAsync_NameTooLongForAUnixUser_IsRefusedClearly()
    {
        var alice = HostAccounts.MakePerson("alice");
        var tool = new string('a', 26);

        var e = await Assert.ThrowsAsync<ValidationException>(() => _host.Accounts().CreateAsync(tool, alice.Name, CancellationToken.None));

        Assert.Contains("at most 25 characters", e.Message, StringComparison.Ordinal);
        Assert.Null(HostAccounts.Group(HostAccounts.ToolPrefix + tool));
    }

    [RootFact]
    public async Task CreateAsync_UnknownMaintainer_IsRefusedBeforeAnythingIsMade()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _host.Accounts().CreateAsync("zeta", "tgacct-nobody", CancellationToken.None));

        Assert.Equal("maintainer", Assert.Single(e.Problems).Field);
        Assert.Null(HostAccounts.Group("tgacct.zeta"));
    }

    [RootFact]
    public async Task CreateAsync_AToolAsMaintainer_IsRefused()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        await accounts.CreateAsync("eta", alice.Name, CancellationToken.None);

        var e = await Assert.ThrowsAsync<ValidationException>(() => accounts.CreateAsync("theta", "tgacct.eta", CancellationToken.None));

        Assert.Contains("a tool's own user", e.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task AddAndRemoveMaintainer_ChangeTheGroup_AndAreIdempotent()
    {
        var alice = HostAccounts.MakePerson("alice");
        var bob = HostAccounts.MakePerson("bob");
        var accounts = _host.Accounts();
        await accounts.CreateAsync("iota", alice.Name, CancellationToken.None);

        await accounts.AddMaintainerAsync("iota", bob.Name, CancellationToken.None);
        await accounts.AddMaintainerAsync("iota", bob.Name, CancellationToken.None);
        Assert.Equal([alice.Name, bob.Name], HostAccounts.Group("tgacct.iota")!.Members.Order());

        await accounts.RemoveMaintainerAsync("iota", alice.Name, CancellationToken.None);
        await accounts.RemoveMaintainerAsync("iota", alice.Name, CancellationToken.None);
        Assert.Equal([bob.Name], HostAccounts.Group("tgacct.iota")!.Members);
    }

    [RootFact]
    public async Task AddMaintainer_ToAToolWithoutAccount_IsNotFound()
    {
        var alice = HostAccounts.MakePerson("alice");

        var e = await Assert.ThrowsAsync<ToolgridException>(() => _host.Accounts().AddMaintainerAsync("kappa", alice.Name, CancellationToken.None));

        Assert.Equal(ErrorKind.NotFound, e.Kind);
    }

    [RootFact]
    public async Task RemoveMaintainer_OfAToolWithoutAccount_DoesNothing()
    {
        var alice = HostAccounts.MakePerson("alice");

        await _host.Accounts().RemoveMaintainerAsync("kappa", alice.Name, CancellationToken.None);

        Assert.Null(HostAccounts.Group("tgacct.kappa"));
    }

    [RootFact]
    public async Task DisableAsync_LocksTheAccount_AndKeepsItsFilesAndGroup()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        var account = await accounts.CreateAsync("lambda", alice.Name, CancellationToken.None);
        Assert.Equal(0, Command.RunAs(account.Uid, account.Gid, "echo kept > \"$1\"", Path.Combine(account.Home, "data.txt")).ExitCode);
        Assert.Equal(0, Command.Run("/usr/bin/su", "-s", "/bin/sh", "tgacct.lambda", "-c", "true").ExitCode);

        await accounts.DisableAsync("lambda", CancellationToken.None);
        await accounts.DisableAsync("lambda", CancellationToken.None);

        var shadow = HostAccounts.Shadow("tgacct.lambda");
        Assert.StartsWith("!", shadow[1], StringComparison.Ordinal);
        Assert.False(shadow[1].StartsWith("!!", StringComparison.Ordinal), "locking twice must not lock twice");
        Assert.Equal("1", shadow[7]);
        Assert.Equal("/usr/sbin/nologin", HostAccounts.Passwd("tgacct.lambda")!.Shell);
        var su = Command.Run("/usr/bin/su", "-s", "/bin/sh", "tgacct.lambda", "-c", "true");
        Assert.NotEqual(0, su.ExitCode);
        Assert.Contains("expired", su.Stdout + su.Stderr, StringComparison.Ordinal);
        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(account.Home, "data.txt")));
        Assert.Equal([alice.Name], HostAccounts.Group("tgacct.lambda")!.Members);
    }

    [RootFact]
    public async Task DisableAsync_AUserThatIsNotOurs_IsRefusedAndLeftAlone()
    {
        Command.Succeed("/usr/sbin/useradd", "--system", "--user-group", "--no-create-home", "--shell", "/bin/sh", "tgacct.mu");

        var e = await Assert.ThrowsAsync<ToolgridException>(() => _host.Accounts().DisableAsync("mu", CancellationToken.None));

        Assert.Equal("unix-account-not-ours", e.ErrorCode);
        Assert.Equal("/bin/sh", HostAccounts.Passwd("tgacct.mu")!.Shell);
    }

    [RootFact]
    public async Task AToolsFiles_CannotBeWrittenByAnotherTool_ButCanByItsMaintainers()
    {
        var alice = HostAccounts.MakePerson("alice");
        var bob = HostAccounts.MakePerson("bob");
        var accounts = _host.Accounts();
        var a = await accounts.CreateAsync("nu", alice.Name, CancellationToken.None);
        var b = await accounts.CreateAsync("xi", bob.Name, CancellationToken.None);
        var file = Path.Combine(a.Home, "state.txt");

        var written = Command.RunAs(a.Uid, a.Gid, "echo mine > \"$1\"", file);
        var overwritten = Command.RunAs(b.Uid, b.Gid, "echo theirs > \"$1\"", file);
        var planted = Command.RunAs(b.Uid, b.Gid, "echo x > \"$1\"", Path.Combine(a.Home, "public_html", "index.html"));
        var byMaintainer = Command.RunAs(alice.Uid, alice.Gid, "echo hi > \"$1\"", Path.Combine(a.Home, "from-alice.txt"));
        var byStranger = Command.RunAs(bob.Uid, bob.Gid, "echo hi > \"$1\"", Path.Combine(a.Home, "from-bob.txt"));

        Assert.Equal(0, written.ExitCode);
        Assert.NotEqual(0, overwritten.ExitCode);
        Assert.Contains("Permission denied", overwritten.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, planted.ExitCode);
        Assert.Equal("mine\n", File.ReadAllText(file));
        Assert.Equal(0, byMaintainer.ExitCode);
        Assert.Equal(a.Gid, HostAccounts.Stat(Path.Combine(a.Home, "from-alice.txt")).Gid);
        Assert.NotEqual(0, byStranger.ExitCode);
    }

    [RootFact]
    public async Task WhyNotAMaintainer_PeopleMay_SystemAccountsNobodyToolsAndStrangersMayNot()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        await accounts.CreateAsync("omicron", alice.Name, CancellationToken.None);

        Assert.Null(accounts.WhyNotAMaintainer(alice.Name));
        Assert.Contains("system account (uid 0, below 1000", accounts.WhyNotAMaintainer("root")!.Reason, StringComparison.Ordinal);
        Assert.Contains("system account (uid 1, below 1000", accounts.WhyNotAMaintainer("daemon")!.Reason, StringComparison.Ordinal);
        Assert.Contains("unprivileged account", accounts.WhyNotAMaintainer("nobody")!.Reason, StringComparison.Ordinal);
        Assert.Contains("own user of tool 'omicron'", accounts.WhyNotAMaintainer("tgacct.omicron")!.Reason, StringComparison.Ordinal);
        string[] refused = ["root", "daemon", "nobody", "tgacct.omicron", "tgacct-nobody", "Not A Name"];
        Assert.Equal([false, false, false, false, true, true], refused.Select(u => accounts.WhyNotAMaintainer(u)!.NoSuchUser));
    }

    [RootFact]
    public async Task AddMaintainer_ASystemAccount_IsRefusedAndNotMadeAMember()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        await accounts.CreateAsync("xi", alice.Name, CancellationToken.None);

        var e = await Assert.ThrowsAsync<ValidationException>(() => accounts.AddMaintainerAsync("xi", "daemon", CancellationToken.None));

        Assert.Contains("system account", Assert.Single(e.Problems).Message, StringComparison.Ordinal);
        Assert.DoesNotContain("daemon", HostAccounts.Group(HostAccounts.ToolPrefix + "xi")!.Members);
    }

    [RootFact]
    public async Task SingleUser_MakesTheHomeAsTheServersUser_AndMembershipChangesAreNoOps()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts(AccountMode.SingleUser);

        var account = await accounts.CreateAsync("pi", alice.Name, CancellationToken.None);
        await accounts.AddMaintainerAsync("pi", "someone", CancellationToken.None);
        await accounts.RemoveMaintainerAsync("pi", alice.Name, CancellationToken.None);
        await accounts.DisableAsync("pi", CancellationToken.None);

        Assert.Null(accounts.UnixUserPrefix);
        Assert.Equal(new ToolAccount("root", 0, 0, Path.Combine(_host.DataRoot, "pi")), account);
        Assert.Equal((0, 0, "2770"), HostAccounts.Stat(Path.Combine(account.Home, "public_html")));
        Assert.Null(HostAccounts.Group(HostAccounts.ToolPrefix + "pi"));
        Assert.Null(accounts.WhyNotAMaintainer(alice.Name));
        Assert.Equal("root", accounts.UnixUserOf("pi"));
    }

    [Fact]
    public async Task SingleUser_MakesTheHomeAsWhoeverRunsIt_AndAgainReturnsTheSame()
    {
        var users = new UnixUserDatabase();
        var accounts = _host.Accounts(AccountMode.SingleUser);

        var first = await accounts.CreateAsync("rho", "anyone", CancellationToken.None);
        var second = await accounts.CreateAsync("rho", "anyone", CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(users.EffectiveUid, first.Uid);
        Assert.Equal(users.FindUser(users.EffectiveUid)?.Name, first.UnixUser);
        Assert.Equal((users.EffectiveUid, users.EffectiveGid, "2770"), HostAccounts.Stat(Path.Combine(first.Home, "public_html")));
    }
}
