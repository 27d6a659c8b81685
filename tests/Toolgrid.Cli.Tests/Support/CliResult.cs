namespace Toolgrid.Cli.Tests.Support;

/// <summary>What a run of the CLI left behind.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Standard error's lines.</summary>
    public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
