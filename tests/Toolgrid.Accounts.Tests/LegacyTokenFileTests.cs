using System.Globalization;
using Toolgrid.Core.Accounts;

namespace Toolgrid.Accounts.Tests;

/// <summary>
/// <see cref="ToolAccounts.RemoveLegacyTokenFileAsync"/>: the token an older toolgridd wrote to
/// <c>~/.toolgrid/token</c> goes, and nothing else does, whatever the tool put in its home.
/// </summary>
[Collection(SharedUserDatabase.Name)]
public sealed class LegacyTokenFileTests : IDisposable
{
    private const string Token = "tg_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";

    private readonly HostAccounts _host = new();

    public void Dispose() => _host.Dispose();

    [RootFact]
    public async Task Remove_TheFileAnOlderToolgriddWrote_RemovesItAndItsDirectory()
    {
        var (accounts, account) = await ToolAsync();
        WriteAsOlderToolgridd(account, Token);

        var outcome = await accounts.RemoveLegacyTokenFileAsync("alpha", IsOurs, CancellationToken.None);

        Assert.Equal(LegacyTokenFileOutcome.Removed, outcome);
        Assert.False(Directory.Exists(Path.Combine(account.Home, ".toolgrid")));
        Assert.Equal(LegacyTokenFileOutcome.Absent, await accounts.RemoveLegacyTokenFileAsync("alpha", IsOurs, CancellationToken.None));
    }

    [RootFact]
    public async Task Remove_KeepsTheDirectoryWhenTheToolPutMoreInIt()
    {
        var (accounts, account) = await ToolAsync();
        WriteAsOlderToolgridd(account, Token);
        File.WriteAllText(Path.Combine(account.Home, ".toolgrid", "notes"), "mine\n");

        Assert.Equal(LegacyTokenFileOutcome.Removed, await accounts.RemoveLegacyTokenFileAsync("alpha", IsOurs, CancellationToken.None));

        Assert.Equal(["notes"], Directory.EnumerateFileSystemEntries(Path.Combine(account.Home, ".toolgrid")).Select(Path.GetFileName));
    }

    [RootFact]
    public async Task Remove_AFileWithAnotherToken_LeavesIt()
    {
        var (accounts, account) = await ToolAsync();
        WriteAsOlderToolgridd(account, "tg_the_tools_own_choice");

        var outcome = await accounts.RemoveLegacyTokenFileAsync("alpha", IsOurs, CancellationToken.None);

        Assert.Equal(LegacyTokenFileOutcome.NotOurs, outcome);
        Assert.Equal("tg_the_tools_own_choice\n", File.ReadAllText(Path.Combine(account.Home, ".toolgrid", "token")));
    }

    [RootFact]
    public async Task Remove_WhenTheToolPutALinkForTheDirectory_LeavesWhatItPointsAt()
    {
        var (accounts, account) = await ToolAsync();
        var target = RootsOwnDirectory();
        File.WriteAllText(Path.Combine(target, "token"), Token + "\n");
        File.CreateSymbolicLink(Path.Combine(account.Home, ".toolgrid"), target);

        var outcome = await accounts.RemoveLegacyTokenFileAsync("alpha", IsOurs, CancellationToken.None);

        Assert.Equal(LegacyTokenFileOutcome.NotOurs, outcome);
        Assert.Equal(Token + "\n", File.ReadAllText(Path.Combine(target, "token")));
        Assert.NotNull(new FileInfo(Path.Combine(account.Home, ".toolgrid")).LinkTarget);
    }

    [RootFact]
    public async Task Remove_WhenTheToolPutALinkForTheToken_LeavesTheLinkAndWhatItPointsAt()
    {
        var (accounts, account) = await ToolAsync();
        WriteAsOlderToolgridd(account, Token);
        var target = Path.Combine(RootsOwnDirectory(), "shadow");
        File.WriteAllText(target, Token + "\n");
        var token = Path.Combine(account.Home, ".toolgrid", "token");
        File.Delete(token);
        File.CreateSymbolicLink(token, target);

        var outcome = await accounts.RemoveLegacyTokenFileAsync("alpha", IsOurs, CancellationToken.None);

        Assert.Equal(LegacyTokenFileOutcome.NotOurs, outcome);
        Assert.Equal(Token + "\n", File.ReadAllText(target));
        Assert.Equal(target, new FileInfo(token).LinkTarget);
    }

    [RootFact]
    public async Task Remove_WhenTheTokenIsAFifo_DoesNotWaitOnIt()
    {
        var (accounts, account) = await ToolAsync();
        WriteAsOlderToolgridd(account, Token);
        var token = Path.Combine(account.Home, ".toolgrid", "token");
        File.Delete(token);
        Command.Succeed("/usr/bin/mkfifo", token);

        // A FIFO with no writer: opened without O_NONBLOCK, the open would wait for one forever.
        var outcome = await accounts.RemoveLegacyTokenFileAsync("alpha", IsOurs, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(LegacyTokenFileOutcome.NotOurs, outcome);
        Assert.True(File.Exists(token));
    }

    [RootFact]
    public async Task Remove_WhenTheTokenIsADirectory_LeavesIt()
    {
        var (accounts, account) = await ToolAsync();
        Directory.CreateDirectory(Path.Combine(account.Home, ".toolgrid", "token"));

        Assert.Equal(LegacyTokenFileOutcome.NotOurs, await accounts.RemoveLegacyTokenFileAsync("alpha", IsOurs, CancellationToken.None));

        Assert.True(Directory.Exists(Path.Combine(account.Home, ".toolgrid", "token")));
    }

    [RootFact]
    public async Task Remove_WithNoFileOrNoHome_IsAbsent()
    {
        var (accounts, _) = await ToolAsync();

        Assert.Equal(LegacyTokenFileOutcome.Absent, await accounts.RemoveLegacyTokenFileAsync("alpha", IsOurs, CancellationToken.None));
        Assert.Equal(LegacyTokenFileOutcome.Absent, await accounts.RemoveLegacyTokenFileAsync("nosuch", IsOurs, CancellationToken.None));
    }

    private static bool IsOurs(string content) => content == Token;

    private async Task<(ToolAccounts Accounts, ToolAccount Account)> ToolAsync()
    {
        var alice = HostAccounts.MakePerson("alice");
        var accounts = _host.Accounts();
        return (accounts, await accounts.CreateAsync("alpha", alice.Name, CancellationToken.None));
    }

    /// <summary>What toolgridd wrote until this version: the directory 0700 and the file 0600, the tool's own.</summary>
    private static void WriteAsOlderToolgridd(ToolAccount account, string token)
    {
        var directory = Path.Combine(account.Home, ".toolgrid");
        var file = Path.Combine(directory, "token");
        Directory.CreateDirectory(directory);
        File.WriteAllText(file, token + "\n");
        var owner = string.Create(CultureInfo.InvariantCulture, $"{account.Uid}:{account.Gid}");
        Command.Succeed("/bin/chown", owner, directory, file);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>A directory only root may enter, outside every home: what a planted link would aim at.</summary>
    private string RootsOwnDirectory()
    {
        var target = Path.Combine(_host.DataRoot, "roots-own");
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return target;
    }
}
