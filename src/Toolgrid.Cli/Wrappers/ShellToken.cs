namespace Toolgrid.Cli.Wrappers;

/// <summary>One token of a shell command line.</summary>
/// <param name="Kind">A word, an operator or a redirection.</param>
/// <param name="Raw">As written, quotes and all: what a shell reads again the same way.</param>
/// <param name="Value">The word with its quotes removed (expansions such as <c>$HOME</c> left as written).</param>
/// <param name="Expands">Whether the shell would expand something in it (<c>$</c>, <c>`</c>, or a leading <c>~</c>, outside single quotes).</param>
internal sealed record ShellToken(ShellTokenKind Kind, string Raw, string Value, bool Expands);
