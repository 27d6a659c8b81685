namespace Toolgrid.Accounts;

/// <summary>A user as the user database (passwd, through NSS) knows it.</summary>
/// <param name="Name">The login name.</param>
/// <param name="Uid">The user id.</param>
/// <param name="Gid">The primary group id.</param>
/// <param name="Home">The home directory.</param>
/// <param name="Shell">The login shell.</param>
public sealed record UnixUser(string Name, int Uid, int Gid, string Home, string Shell);
