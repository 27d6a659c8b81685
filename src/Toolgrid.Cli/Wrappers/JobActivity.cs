namespace Toolgrid.Cli.Wrappers;

/// <summary>What a job is doing, in the grid's terms: nothing (no such job to qstat), running, or queued.</summary>
/// <remarks>The values are <c>job</c>'s exit codes.</remarks>
internal enum JobActivity
{
    /// <summary>No run is queued or running, and none will start by itself (a finished one-off job, a scheduled job between runs).</summary>
    None = 0,

    /// <summary>A run is starting or running.</summary>
    Running = 1,

    /// <summary>A run is queued, or a continuous job waits to be started again.</summary>
    Queued = 2,
}
