using Microsoft.Extensions.Options;
using Toolgrid.Core.Identity;

namespace Toolgrid.Accounts;

/// <summary>Says who a local caller is from its uid: a person or a tool's own user, and whether an admin.</summary>
/// <remarks>
/// The API's Unix socket learns the caller's uid from the kernel (SO_PEERCRED); this turns it
/// into a <see cref="Caller"/>. Admins are root and the members (primary or supplementary) of
/// <see cref="ToolAccountsOptions.AdminGroup"/>.
/// </remarks>
public sealed class UnixCallers
{
    private readonly IUserDatabase _users;
    private readonly ToolAccounts _accounts;
    private readonly string? _adminGroup;

    public UnixCallers(IUserDatabase users, ToolAccounts accounts, IOptions<ToolAccountsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _users = users;
        _accounts = accounts;
        _adminGroup = options.Value.AdminGroup;
    }

    /// <summary>The caller with this uid, or null when the user database does not know the uid.</summary>
    public Caller? FromPeerCredentials(int uid)
    {
        var user = _users.FindUser(uid);
        return user is null ? null : new Caller(user.Name, _accounts.ToolOf(user), IsAdmin(user), CallerVia.PeerCredentials);
    }

    /// <summary>Whether the user of this login name is root or a member of the admin group.</summary>
    public bool IsAdmin(string userName) => _users.FindUser(userName) is { } user && IsAdmin(user);

    private bool IsAdmin(UnixUser user) =>
        user.Uid == 0 || (_adminGroup is not null && _users.IsMember(user.Name, _adminGroup));
}
