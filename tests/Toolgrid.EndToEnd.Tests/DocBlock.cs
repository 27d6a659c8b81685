namespace Toolgrid.EndToEnd.Tests;

/// <summary>A fenced block of a Markdown file: its language (empty when it names none), its first line and its lines.</summary>
public sealed record DocBlock(string File, int Line, string Language, IReadOnlyList<string> Lines);
