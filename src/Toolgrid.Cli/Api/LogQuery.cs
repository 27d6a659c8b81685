namespace Toolgrid.Cli.Api;

/// <summary>What part of a job's logs to read (<c>GET …/jobs/{job}/logs</c>).</summary>
/// <param name="Stream"><c>all</c>, <c>stdout</c> or <c>stderr</c>; the API's default (all) when null.</param>
/// <param name="Lines">How many of the last lines of each file; the API's default when null.</param>
/// <param name="Follow">Keep streaming as the files grow.</param>
public sealed record LogQuery(string? Stream = null, int? Lines = null, bool Follow = false);
