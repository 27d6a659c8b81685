using Toolgrid.Core.Accounts;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Validation;

namespace Toolgrid.Accounts.Tests;

/// <summary><see cref="ToolAccounts.WriteCredentialsAsync"/>: the token in <c>~/.toolgrid/token</c>, for the tool alone, whatever the tool left in its home.</summary>
[Collection(SharedUserDatabase.Name)]
public sealed class ToolCredentialsTests : IDisposable
{
    private const string Token = "tg_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";

    private readonly HostAccounts _host = new();

    public void Dispose() => _host.Dispose();

    [RootFact]
    public async Task WriteCredentials_LeavesATokenOnlyTheToolCanRead()
    {
        var alice = HostAccounts.MakePerson("alice");
        var mallory = HostAccounts.MakePerson("mallory");
        var accounts = _host.Accounts();
        var account = await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);

        await accounts.WriteCredentialsAsync("alpha", Token, CancellationToken.None);

        var directory = Path.Combine(account.Home, ".toolgrid");
        var token = Path.Combine(directory, "token");
        Assert.Equal((account.Uid, account.Gid, "700"), HostAccounts.Stat(directory));
        Assert.Equal((account.Uid, account.Gid, "600"), HostAccounts.Stat(token));
        var asTool = Command.RunAs(account.Uid, account.Gid, "cat \"$1\"", token);
        Assert.True(asTool.ExitCode == 0, asTool.ToString());
        Assert.Equal(Token + "\n", asTool.Stdout);

        // A maintainer (in the tool's group) and a stranger read nothing.
        Assert.NotEqual(0, Command.RunAs(alice.Uid, alice.Gid, "cat \"$1\"", token).ExitCode);
        Assert.NotEqual(0, Command.RunAs(mallory.Uid, mallory.Gid, "cat \"$1\"", token).ExitCode);
        Assert.Equal([".toolgrid/token"], FilesIn(account.Home));
    }

    [RootFact]
    public async Task WriteCredentials_Again_ReplacesTheOlderToken()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        var account = await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        await accounts.WriteCredentialsAsync("alpha", "tg_old", CancellationToken.None);

        await accounts.WriteCredentialsAsync("alpha", Token, CancellationToken.None);
        await accounts.WriteCredentialsAsync("alpha", Token, CancellationToken.None);

        var token = Path.Combine(account.Home, ".toolgrid", "token");
        Assert.Equal(Token + "\n", File.ReadAllText(token));
        Assert.Equal((account.Uid, account.Gid, "600"), HostAccounts.Stat(token));
        Assert.Equal([".toolgrid/token"], FilesIn(account.Home));
    }

    [RootFact]
    public async Task WriteCredentials_RepairsTheModesTheToolLoosened()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        var account = await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        await accounts.WriteCredentialsAsync("alpha", Token, CancellationToken.None);
        var directory = Path.Combine(account.Home, ".toolgrid");
        Command.Succeed("/bin/chmod", "0777", directory);

        await accounts.WriteCredentialsAsync("alpha", Token, CancellationToken.None);

        Assert.Equal((account.Uid, account.Gid, "700"), HostAccounts.Stat(directory));
    }

    [RootFact]
    public async Task WriteCredentials_WhenTheToolPutALinkForItsDirectory_RefusesAndLeavesTheTargetAlone()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        var account = await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        var target = RootsOwnDirectory();
        File.CreateSymbolicLink(Path.Combine(account.Home, ".toolgrid"), target);

        var e = await Assert.ThrowsAsync<ToolgridException>(() => accounts.WriteCredentialsAsync("alpha", Token, CancellationToken.None));

        Assert.Equal(ErrorKind.Unavailable, e.Kind);
        Assert.Contains("symbolic link", e.Message, StringComparison.Ordinal);
        Assert.Equal((0, 0, "700"), HostAccounts.Stat(target));
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
    }

    [RootFact]
    public async Task WriteCredentials_WhenTheToolPutALinkForItsToken_ReplacesTheLinkAndLeavesTheTargetAlone()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        var account = await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        await accounts.WriteCredentialsAsync("alpha", "tg_old", CancellationToken.None);
        var target = Path.Combine(RootsOwnDirectory(), "shadow");
        File.WriteAllText(target, "root's own\n");
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var token = Path.Combine(account.Home, ".toolgrid", "token");
        File.Delete(token);
        File.CreateSymbolicLink(token, target);

        await accounts.WriteCredentialsAsync("alpha", Token, CancellationToken.None);

        Assert.Equal("root's own\n", File.ReadAllText(target));
        Assert.Equal((0, 0, "600"), HostAccounts.Stat(target));
        Assert.Null(new FileInfo(token).LinkTarget);
        Assert.Equal(Token + "\n", File.ReadAllText(token));
        Assert.Equal((account.Uid, account.Gid, "600"), HostAccounts.Stat(token));
    }

    [RootFact]
    public async Task WriteCredentials_WhenTheTokenIsADirectory_SaysSo()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        var account = await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(account.Home, ".toolgrid", "token"));

        var e = await Assert.ThrowsAsync<ToolgridException>(() => accounts.WriteCredentialsAsync("alpha", Token, CancellationToken.None));

        Assert.Contains("it is a directory", e.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(account.Home, ".toolgrid", "token")));
        Assert.Empty(FilesIn(account.Home));
    }

    [RootFact]
    public async Task WriteCredentials_ForAToolWithoutAccount_IsNotFound()
    {
        var e = await Assert.ThrowsAsync<ToolgridException>(() => _host.Accounts().WriteCredentialsAsync("nosuch", Token, CancellationToken.None));

        Assert.Equal(ErrorKind.NotFound, e.Kind);
    }

    [RootFact]
    public async Task WriteCredentials_InSingleUserMode_IsForTheServersUser()
    {
        var accounts = _host.Accounts(AccountMode.SingleUser);
        var account = await accounts.CreateAsync("alpha", "whoever", CancellationToken.None);

        await accounts.WriteCredentialsAsync("alpha", Token, CancellationToken.None);

        Assert.Equal((0, 0, "600"), HostAccounts.Stat(Path.Combine(account.Home, ".toolgrid", "token")));
        Assert.Equal((0, 0, "700"), HostAccounts.Stat(Path.Combine(account.Home, ".toolgrid")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("tg_two\nlines")]
    [InlineData("tg_with space")]
    public async Task WriteCredentials_NotAToken_IsRefused(string token)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _host.Accounts(AccountMode.SingleUser).WriteCredentialsAsync("alpha", token, CancellationToken.None));

        Assert.Equal("token", Assert.Single(e.Problems).Field);
    }

    /// <summary>A directory only root may enter, outside every home: what a planted link would aim at.</summary>
    private string RootsOwnDirectory()
    {
        var target = Path.Combine(_host.DataRoot, "roots-own");
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return target;
    }

    /// <summary>The files in the home (not the directories), relative to it: no temporary file may be left.</summary>
    private static string[] FilesIn(string home) =>
        Directory.EnumerateFiles(home, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(home, p))
            .Order(StringComparer.Ordinal)
            .ToArray();
}
