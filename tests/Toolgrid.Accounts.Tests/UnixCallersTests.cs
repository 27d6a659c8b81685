using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Identity;

namespace Toolgrid.Accounts.Tests;

[Collection(SharedUserDatabase.Name)]
public sealed class UnixCallersTests : IDisposable
{
    private readonly HostAccounts _host = new();

    public void Dispose() => _host.Dispose();

    [RootFact]
    public async Task FromPeerCredentials_TellsPeopleToolsAndAdminsApart()
    {
        var alice = HostAccounts.MakePerson("alice");
        var bob = HostAccounts.MakePerson("bob");
        var admins = HostAccounts.MakeGroup("admins", alice.Name);
        var users = new UnixUserDatabase();
        var options = Options.Create(_host.Options(adminGroup: admins.Name));
        var accounts = new ToolAccounts(users, options, TimeProvider.System, NullLogger<ToolAccounts>.Instance);
        var callers = new UnixCallers(users, accounts, options);
        var tool = await accounts.CreateAsync("sigma", bob.Name, CancellationToken.None);

        Assert.Equal(new Caller("root", null, true, CallerVia.PeerCredentials), callers.FromPeerCredentials(0));
        Assert.Equal(new Caller(alice.Name, null, true, CallerVia.PeerCredentials), callers.FromPeerCredentials(alice.Uid));
        Assert.Equal(new Caller(bob.Name, null, false, CallerVia.PeerCredentials), callers.FromPeerCredentials(bob.Uid));
        Assert.Equal(new Caller("tgacct.sigma", "sigma", false, CallerVia.PeerCredentials), callers.FromPeerCredentials(tool.Uid));
        Assert.Null(callers.FromPeerCredentials(2_000_000_000));
        Assert.True(callers.IsAdmin(alice.Name));
        Assert.False(callers.IsAdmin(bob.Name));
        Assert.False(callers.IsAdmin("tgacct-nobody"));
    }

    [RootFact]
    public async Task FromPeerCredentials_InSingleUserMode_NeverNamesATool()
    {
        var alice = HostAccounts.MakePerson("alice");
        var users = new UnixUserDatabase();
        var multi = _host.Accounts();
        var tool = await multi.CreateAsync("tau", alice.Name, CancellationToken.None);
        var options = Options.Create(_host.Options(Core.Accounts.AccountMode.SingleUser));
        var single = new ToolAccounts(users, options, TimeProvider.System, NullLogger<ToolAccounts>.Instance);

        var caller = new UnixCallers(users, single, options).FromPeerCredentials(tool.Uid);

        Assert.Equal(new Caller("tgacct.tau", null, false, CallerVia.PeerCredentials), caller);
    }
}
