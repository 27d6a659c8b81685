namespace Toolgrid.Core.Backends;

/// <summary>A terminal's window size.</summary>
public sealed record TerminalSize(int Rows, int Columns);
