namespace Toolgrid.Core.Identity;

/// <summary>A bearer token for the API over TCP. Only a hash of its secret is kept.</summary>
public sealed class ApiToken
{
    public long Id { get; set; }

    /// <summary>Whose token it is: a person's login name, or a tool's Unix user name.</summary>
    public required string UserName { get; set; }

    public string Name { get; set; } = "";

    /// <summary>SHA-256 of the secret, hex.</summary>
    public required string SecretHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
