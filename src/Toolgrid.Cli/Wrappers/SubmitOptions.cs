namespace Toolgrid.Cli.Wrappers;

/// <summary>What the flags of <c>jsub</c>, <c>jstart</c> or <c>qcronsub</c> asked for, as typed (paths not yet resolved).</summary>
internal sealed record SubmitOptions
{
    public WrapperProgram Program { get; init; }

    /// <summary><c>-N</c>, as typed (grid-era names may hold capitals, dots and '_').</summary>
    public string? Name { get; init; }

    /// <summary><c>-mem</c> or <c>-l h_vmem=</c>.</summary>
    public string? Memory { get; init; }

    /// <summary><c>-once</c> (implied by <c>jstart</c> and <c>qcronsub</c>): refuse while a job of that name is queued or running.</summary>
    public bool Once { get; init; }

    /// <summary><c>-quiet</c>: say nothing when all goes well.</summary>
    public bool Quiet { get; init; }

    /// <summary><c>-stderr</c>: the wrapper's own errors go to standard error rather than to the job's error file.</summary>
    public bool ErrorsToStderr { get; init; }

    /// <summary><c>-continuous</c> (implied by <c>jstart</c>), or <c>-q continuous</c>.</summary>
    public bool Continuous { get; init; }

    /// <summary><c>-cwd</c>: run in the directory the wrapper was called from.</summary>
    public bool InCurrentDirectory { get; init; }

    /// <summary><c>-wd DIR</c>: run in DIR.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary><c>-q</c>, when it names a queue of its own (not the grid's <c>task</c> or <c>continuous</c>).</summary>
    public string? Queue { get; init; }

    /// <summary><c>-o</c>: a file, or a directory to put NAME.out in.</summary>
    public string? Stdout { get; init; }

    /// <summary><c>-e</c>: a file, or a directory to put NAME.err in.</summary>
    public string? Stderr { get; init; }

    /// <summary><c>-j y</c>: standard error into the standard output file.</summary>
    public bool Merge { get; init; }

    /// <summary>Each <c>-v</c> item: <c>NAME=value</c>, or <c>NAME</c> to pass on the caller's value.</summary>
    public IReadOnlyList<string> Variables { get; init; } = [];

    public string? Umask { get; init; }

    /// <summary><c>-m</c>, as an email policy.</summary>
    public string? Emails { get; init; }

    /// <summary><c>-l h_rt=</c>, as a duration.</summary>
    public string? Timeout { get; init; }

    /// <summary>What was accepted but has no effect here, each a sentence naming the flag.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The program and its arguments: everything from the first word that is not an option.</summary>
    public IReadOnlyList<ShellToken> Command { get; init; } = [];

    /// <summary>Whether resolving the options needs the tool's home (paths to bring inside it).</summary>
    public bool NeedsHome => Stdout is not null || Stderr is not null || InCurrentDirectory || WorkingDirectory is not null;
}
