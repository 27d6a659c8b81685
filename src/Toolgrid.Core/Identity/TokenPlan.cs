namespace Toolgrid.Core.Identity;

/// <summary>What a new token will be, as <see cref="TokenRules.Plan"/> decided it.</summary>
/// <param name="Name">Its label.</param>
/// <param name="Scope">What it may be used for.</param>
/// <param name="ExpiresAt">When it stops working.</param>
/// <param name="ParentId">The token it is made with, or null on the Unix socket.</param>
/// <param name="MadeBy">What made it, in words.</param>
public sealed record TokenPlan(string Name, TokenScope Scope, DateTimeOffset ExpiresAt, long? ParentId, string MadeBy);
