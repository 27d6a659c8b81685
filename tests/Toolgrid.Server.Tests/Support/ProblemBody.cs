namespace Toolgrid.Server.Tests.Support;

/// <summary>An RFC 7807 problem as the API sends it (see docs/api.md).</summary>
public sealed record ProblemBody(
    string Type,
    string Title,
    int Status,
    string Detail,
    string ErrorCode,
    string? Instance,
    IReadOnlyList<FieldProblem>? Errors,
    string? TraceId)
{
    /// <summary>The fields the problems are about, in order.</summary>
    public IReadOnlyList<string> Fields => Errors?.Select(e => e.Field).ToList() ?? [];

    /// <summary>The message about <paramref name="field"/>; fails when there is not exactly one.</summary>
    public string MessageFor(string field) => Assert.Single(Errors ?? [], e => e.Field == field).Message;
}

/// <summary>One entry of a problem's <c>errors</c>.</summary>
public sealed record FieldProblem(string Field, string Message);
