using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Api;

/// <summary>An RFC 7807 problem as the API answers it (<c>application/problem+json</c>).</summary>
/// <remarks>Every member is optional on the wire: a proxy in front of the API may answer with less.</remarks>
public sealed record ApiProblem
{
    public string? Type { get; init; }

    public string? Title { get; init; }

    public int? Status { get; init; }

    public string? Detail { get; init; }

    /// <summary>The stable, machine-readable code (<c>validation</c>, <c>job-not-found</c>…).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Each problem with the input, with the field it is about (API spelling).</summary>
    public IReadOnlyList<Problem>? Errors { get; init; }

    /// <summary>Set on a 500: finds the server's log line.</summary>
    public string? TraceId { get; init; }
}
