namespace Toolgrid.Accounts;

/// <summary>A group as the user database (group, through NSS) knows it.</summary>
/// <param name="Name">The group name.</param>
/// <param name="Gid">The group id.</param>
/// <param name="Members">
/// The supplementary members listed in the group entry. Users whose primary group this is are
/// not listed here; <see cref="IUserDatabase.IsMember"/> counts them as well.
/// </param>
public sealed record UnixGroup(string Name, int Gid, IReadOnlyList<string> Members);
