namespace Toolgrid.Accounts;

/// <summary>How a program run by <see cref="ShadowPrograms"/> ended, and what it wrote.</summary>
/// <param name="Command">The program and its arguments, for messages.</param>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Stdout">What it wrote to standard output.</param>
/// <param name="Stderr">What it wrote to standard error.</param>
internal sealed record ProgramOutcome(string Command, int ExitCode, string Stdout, string Stderr);
