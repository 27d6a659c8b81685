namespace Toolgrid.Cli.JobsFile;

/// <summary>One key of a <c>jobs.yaml</c> entry: how it is spelled in the file, the API field it sets, and what kind of value it takes.</summary>
/// <param name="Key">The key in the file, e.g. <c>filelog-stdout</c>.</param>
/// <param name="Field">The field of <see cref="Contracts.Api.JobRunRequest"/> it sets (API spelling), or null for keys the CLI handles itself (<c>image</c>, <c>mount</c>).</param>
/// <param name="Type">The kind of value.</param>
internal sealed record JobsFileKey(string Key, string? Field, JobsFileValueType Type);
