namespace Toolgrid.Core.Api;

/// <summary><c>POST /api/v1/tokens</c>: a bearer token for the caller, for use over TCP.</summary>
public sealed record TokenCreateRequest
{
    /// <summary>A label to tell tokens apart, e.g. "laptop".</summary>
    public string? Name { get; init; }

    /// <summary>Days until it expires; never when omitted.</summary>
    public int? ExpiresInDays { get; init; }
}

/// <summary>A token as the API shows it. <see cref="Secret"/> is only ever shown once, on creation.</summary>
public sealed record TokenView(
    long Id,
    string Name,
    string User,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    string? Secret);
