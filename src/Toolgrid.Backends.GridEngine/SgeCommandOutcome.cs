namespace Toolgrid.Backends.GridEngine;

/// <summary>How a Grid Engine command ended and what it printed.</summary>
/// <param name="Command">The command, for messages.</param>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Stdout">Its standard output.</param>
/// <param name="Stderr">Its standard error.</param>
public sealed record SgeCommandOutcome(string Command, int ExitCode, string Stdout, string Stderr);
