namespace Toolgrid.Cli.Wrappers;

/// <summary>The grid-era programs that submit a job.</summary>
internal enum WrapperProgram
{
    /// <summary><c>jsub</c>: a one-off job (continuous with <c>-continuous</c>).</summary>
    Jsub,

    /// <summary><c>jstart</c>: <c>jsub -once -continuous</c>, restarted until it exits 0.</summary>
    Jstart,

    /// <summary><c>qcronsub</c>: submit from cron, refusing while a job of that name is queued or running.</summary>
    Qcronsub,
}
