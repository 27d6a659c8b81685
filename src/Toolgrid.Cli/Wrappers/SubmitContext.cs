namespace Toolgrid.Cli.Wrappers;

/// <summary>Where a submission is made from: what a wrapper's relative paths and bare program names are read against.</summary>
/// <remarks>A function for each look at the file system, so that the mapping stays pure and its tests need no files.</remarks>
internal sealed record SubmitContext
{
    /// <summary>The directory the wrapper runs in (absolute): <c>-o</c>, <c>-e</c>, <c>-cwd</c> and relative programs are read from it, as jsub did.</summary>
    public required string CurrentDirectory { get; init; }

    /// <summary>The tool's home (absolute), where every file of the job must end up; null when no option needs it.</summary>
    public string? Home { get; init; }

    /// <summary>Whether a path is an existing directory (<c>-o DIR</c> puts NAME.out in it).</summary>
    public Func<string, bool> IsDirectory { get; init; } = _ => false;

    /// <summary>
    /// How to write a bare program name (no '/') in the command: itself when it is on the PATH,
    /// its absolute path when it is in the current directory (as jsub found it), null when it is nowhere.
    /// </summary>
    public Func<string, string?> FindProgram { get; init; } = name => name;

    /// <summary>The value of a variable of the submitter's environment, for <c>-v NAME</c>.</summary>
    public Func<string, string?> Variable { get; init; } = _ => null;

    /// <summary>Whether a program found nowhere is an error (a live jsub) or kept as written, with a note (a crontab, read elsewhere).</summary>
    public bool ProgramMustExist { get; init; }
}
