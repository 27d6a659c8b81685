using Toolgrid.Core.Backends;

namespace Toolgrid.Core.Supervision;

/// <summary>A job Toolgrid did not start, found under a tool's Unix user (<see cref="OutsideJobRule"/>).</summary>
/// <param name="Tool">The tool whose user it runs as; null when no tool in the store has that user (it is in the tools' uid range, or has their prefix).</param>
/// <param name="Job">The job.</param>
public sealed record ToolOutsideJob(string? Tool, OutsideJob Job);
