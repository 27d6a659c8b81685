namespace Toolgrid.Cli.JobsFile;

/// <summary>Why a text is not YAML, and where (1-based line and column).</summary>
internal sealed record YamlSyntaxError(int Line, int Column, string Message);
