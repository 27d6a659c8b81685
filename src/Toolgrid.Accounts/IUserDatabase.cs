namespace Toolgrid.Accounts;

/// <summary>Lookups in the host's user database (passwd and group, through NSS).</summary>
/// <remarks>
/// Every lookup asks the database afresh: nothing is cached, so a user or group made a moment
/// ago is seen at once. Implementations are thread-safe. A failure of the database itself (not
/// "no such entry") is a <see cref="Core.Errors.ToolgridException"/> of kind
/// <see cref="Core.Errors.ErrorKind.Unavailable"/>.
/// </remarks>
public interface IUserDatabase
{
    /// <summary>The effective user id of this process (0 when running as root).</summary>
    int EffectiveUid { get; }

    /// <summary>The effective group id of this process.</summary>
    int EffectiveGid { get; }

    /// <summary>The user with this id, or null when there is none.</summary>
    UnixUser? FindUser(int uid);

    /// <summary>The user with this login name, or null when there is none.</summary>
    UnixUser? FindUser(string name);

    /// <summary>The group with this id, or null when there is none.</summary>
    UnixGroup? FindGroup(int gid);

    /// <summary>The group with this name, or null when there is none.</summary>
    UnixGroup? FindGroup(string name);

    /// <summary>
    /// The ids of every group the user is in: its primary group and its supplementary groups,
    /// as a login would get them (<c>getgrouplist</c>). Empty when the user does not exist.
    /// </summary>
    IReadOnlyList<int> GroupIdsOf(string userName);

    /// <summary>Whether the user is in the group, as its primary group or a supplementary one. False when either does not exist.</summary>
    bool IsMember(string userName, string groupName);

    /// <summary>Every user the database will enumerate.</summary>
    /// <remarks>Directory services may refuse to enumerate (e.g. sssd's default); look single entries up to be sure.</remarks>
    IReadOnlyList<UnixUser> ListUsers();

    /// <summary>Every group the database will enumerate.</summary>
    /// <remarks>Directory services may refuse to enumerate (e.g. sssd's default); look single entries up to be sure.</remarks>
    IReadOnlyList<UnixGroup> ListGroups();
}
