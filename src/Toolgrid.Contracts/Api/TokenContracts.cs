namespace Toolgrid.Contracts.Api;

/// <summary><c>POST /api/v1/tokens</c>: a bearer token for the caller, for use over TCP.</summary>
public sealed record TokenCreateRequest
{
    /// <summary>A label to tell tokens apart, e.g. "laptop".</summary>
    public string? Name { get; init; }

    /// <summary><c>read</c>, <c>jobs</c> (the default) or <c>admin</c>.</summary>
    public string? Scope { get; init; }

    /// <summary>Days until it expires: the site's default lifetime when omitted, at most its maximum.</summary>
    public int? ExpiresInDays { get; init; }
}

/// <summary>A token as the API shows it. <see cref="Secret"/> is only ever shown on creation.</summary>
/// <param name="Id">Its id, for <c>tokens revoke</c>.</param>
/// <param name="Name">Its label.</param>
/// <param name="User">Whose it is.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="ExpiresAt">When it stops working.</param>
/// <param name="LastUsedAt">When it was last used (to the minute), or null.</param>
/// <param name="Secret">The secret, in the answer that made it; null everywhere else.</param>
/// <param name="Scope"><c>read</c>, <c>jobs</c> or <c>admin</c>.</param>
/// <param name="MadeBy">What made it: <c>socket uid 1000 as alice</c>, or <c>token 12</c>.</param>
/// <param name="ParentId">The token it was made with, or null.</param>
public sealed record TokenView(
    long Id,
    string Name,
    string User,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? LastUsedAt,
    string? Secret,
    string Scope,
    string MadeBy,
    long? ParentId);
