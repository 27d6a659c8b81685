namespace Toolgrid.Contracts.Runs;

/// <summary>Where a run is in its life: <c>queued → starting → running → succeeded | failed | killed | lost</c>, or <c>queued → skipped</c> for a scheduled run that was not started.</summary>
public enum RunState
{
    /// <summary>Accepted; waiting for a node.</summary>
    Queued,

    /// <summary>Placed on a node; the backend has been (or is being) asked to start it.</summary>
    Starting,

    /// <summary>Its process runs.</summary>
    Running,

    /// <summary>Exited 0.</summary>
    Succeeded,

    /// <summary>Exited non-zero, died of a signal, ran out of memory, timed out or could not start.</summary>
    Failed,

    /// <summary>Stopped on purpose: by a maintainer, an admin, or because its job or tool was deleted.</summary>
    Killed,

    /// <summary>Its node or shepherd went away; how it ended is unknown.</summary>
    Lost,

    /// <summary>A scheduled run that was not started: the previous run still ran, or it fell due while the controller was down.</summary>
    Skipped,
}
