namespace Toolgrid.Core.Runs;

/// <summary>Why a run entered its current state. Stable names: they appear in the API and in mail.</summary>
public enum RunReason
{
    /// <summary>Queued because a user asked for it.</summary>
    Submitted,

    /// <summary>Queued again because the previous attempt failed and the job allows retries.</summary>
    Retry,

    /// <summary>Placed on a node; starting.</summary>
    Placed,

    /// <summary>The process started.</summary>
    Started,

    /// <summary>The process exited with a code (0 for success).</summary>
    Exited,

    /// <summary>The process was ended by a signal the platform did not send.</summary>
    Signaled,

    /// <summary>The run went over its memory limit and was killed by the kernel.</summary>
    OutOfMemory,

    /// <summary>The run took longer than its timeout and was stopped.</summary>
    TimedOut,

    /// <summary>The run could not be started (bad working directory, no such user, a backend error…).</summary>
    StartFailed,

    /// <summary>A maintainer, an admin, or the tool itself stopped the run.</summary>
    Stopped,

    /// <summary>The run's job was deleted.</summary>
    JobDeleted,

    /// <summary>The run's tool was deleted.</summary>
    ToolDeleted,

    /// <summary>The shepherd that watched the run died, or the host restarted; the outcome is unknown.</summary>
    ShepherdLost,

    /// <summary>The node the run was on went down.</summary>
    NodeLost,

    /// <summary>The backend no longer knows the run.</summary>
    Vanished,
}
