namespace Toolgrid.Native.Users;

/// <summary>A tool user's account as the shepherd needs it: the login shell (for <c>$SHELL</c>) and the supplementary groups.</summary>
/// <param name="Shell">The login shell; <c>/bin/sh</c> when the user database has none.</param>
/// <param name="Groups">The groups the run gets (the primary group included); empty when the shepherd does not switch users.</param>
public sealed record UnixAccount(string Shell, IReadOnlyList<int> Groups);
