namespace Toolgrid.Contracts.Runs;

/// <summary>Why a run entered its current state. Stable names: they appear in the API and in mail.</summary>
public enum RunReason
{
    /// <summary>Queued because a user asked for it.</summary>
    Submitted,

    /// <summary>Queued again because the previous attempt failed and the job allows retries.</summary>
    Retry,

    /// <summary>Placed on a node; starting.</summary>
    Placed,

    /// <summary>Placed on a node, but its start cannot happen yet (the node's disk is full, its port is taken); tried again until it can.</summary>
    StartDeferred,

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

    /// <summary>Queued: a continuous job's run, started again after the previous one ended (or first started).</summary>
    Restarted,

    /// <summary>Queued: a scheduled run that fell due.</summary>
    Scheduled,

    /// <summary>Queued: a scheduled run that fell due while the controller was down, run late (catch-up once).</summary>
    CaughtUp,

    /// <summary>Queued: a maintainer asked for it now (<c>jobs restart</c>).</summary>
    Manual,

    /// <summary>The run failed its health check and was stopped.</summary>
    Unhealthy,

    /// <summary>The run was stopped to be replaced: its job changed, or a maintainer restarted it, or a scheduled run replaced it.</summary>
    Replaced,

    /// <summary>Skipped: it fell due while the previous run still ran (concurrency forbid).</summary>
    Overlap,

    /// <summary>Skipped: it fell due while the controller was down and the catch-up policy (or window) says not to run it.</summary>
    Missed,

    /// <summary>The interactive session it was attached to ended.</summary>
    Detached,

    /// <summary>Removed from the grid engine outside Toolgrid (<c>qdel</c>, <c>scancel</c> by its tool or an admin), not by a stop of Toolgrid's.</summary>
    RemovedOutside,

    /// <summary>The run's node was drained: a new run of its job started elsewhere, and this one was stopped once that one ran.</summary>
    NodeDrained,

    /// <summary>Queued: a continuous job's run that takes over from one on a drained node.</summary>
    Moved,
}
