namespace Toolgrid.Core.Idempotency;

/// <summary>
/// A creating request sent with an <c>Idempotency-Key</c>, and the first answer to it: what a
/// retry with the same key gets again instead of a second job, tool or token.
/// </summary>
/// <remarks>
/// Keyed by the caller and the key, so that callers never see each other's answers. The request
/// is kept as a hash only. <see cref="Status"/> is null while the first request is being
/// answered. A token's secret is never kept: see <c>docs/api.md</c>.
/// </remarks>
public sealed class IdempotentRequest
{
    /// <summary>Who sent it: a login name (a person's, or a tool's Unix user name).</summary>
    public required string Caller { get; set; }

    /// <summary>The key the caller chose.</summary>
    public required string Key { get; set; }

    /// <summary>SHA-256 (hex) of the method, path, query and body.</summary>
    public required string RequestHash { get; set; }

    /// <summary>The method and path, for the message when a key is used for another request.</summary>
    public required string Request { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The first answer's status; null while it is being answered.</summary>
    public int? Status { get; set; }

    public string? ContentType { get; set; }

    public string? Location { get; set; }

    public byte[]? Body { get; set; }
}
