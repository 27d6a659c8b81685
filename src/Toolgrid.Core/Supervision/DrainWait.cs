namespace Toolgrid.Core.Supervision;

/// <summary>A run that keeps a drained node from being empty, and why it is still there.</summary>
/// <param name="Node">The drained node.</param>
/// <param name="RunId">The run on it.</param>
/// <param name="ToolName">Its tool.</param>
/// <param name="JobName">Its job.</param>
/// <param name="Why">What it waits for, in words: its new run, its turn, or a node that can take it.</param>
public sealed record DrainWait(string Node, long RunId, string ToolName, string JobName, string Why);
