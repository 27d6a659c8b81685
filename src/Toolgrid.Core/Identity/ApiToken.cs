namespace Toolgrid.Core.Identity;

/// <summary>A bearer token for the API over TCP. Only a hash of its secret is kept.</summary>
/// <remarks>
/// Every token expires, has one <see cref="TokenScope"/>, and says what made it: a person on the
/// Unix socket, or another token (<see cref="ParentId"/>). A token made with a token has at most
/// its parent's scope, expires no later than its parent, and is revoked with it.
/// </remarks>
public sealed class ApiToken
{
    public long Id { get; set; }

    /// <summary>Whose token it is: a person's login name, or a tool's Unix user name.</summary>
    public required string UserName { get; set; }

    public string Name { get; set; } = "";

    /// <summary>SHA-256 of the secret, hex.</summary>
    public required string SecretHash { get; set; }

    /// <summary>What the token may be used for.</summary>
    public TokenScope Scope { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it stops working.</summary>
    /// <remarks>
    /// Every token made by this version has one. Null only for a token made before tokens
    /// expired, until toolgridd's start gives it one (<c>LegacyTokens</c>); such a token does not
    /// work meanwhile.
    /// </remarks>
    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The token this one was made with; null when it was made on the Unix socket.</summary>
    public long? ParentId { get; set; }

    /// <summary>What made it, in words: <c>socket uid 1000 as alice</c>, or <c>token 12</c>; empty for a token made before this was kept, until toolgridd's start says so.</summary>
    public required string MadeBy { get; set; }

    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && ExpiresAt is { } expires && expires > now;
}
