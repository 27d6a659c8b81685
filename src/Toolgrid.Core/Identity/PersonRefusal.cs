namespace Toolgrid.Core.Identity;

/// <summary>Why a user may not maintain a tool (<see cref="PersonRule"/>).</summary>
/// <param name="Reason">Why, in words for the person who asked.</param>
/// <param name="NoSuchUser">True when the host has no such user at all (rather than one that is not a person).</param>
public sealed record PersonRefusal(string Reason, bool NoSuchUser);
