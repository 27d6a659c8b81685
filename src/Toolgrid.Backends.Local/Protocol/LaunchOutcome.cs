namespace Toolgrid.Backends.Local.Protocol;

/// <summary>The launcher's exit codes (<c>enum launcher_exit</c> in the shepherd's protocol.h), and what can go wrong around it.</summary>
internal enum LaunchOutcome
{
    /// <summary>The command was started.</summary>
    Started = 0,

    /// <summary>The start failed; the run file's exit record says why.</summary>
    StartFailed = 1,

    /// <summary>Usage error, or the run file cannot be used.</summary>
    Unusable = 2,

    /// <summary>Another shepherd holds the run's lock.</summary>
    Busy = 3,

    /// <summary>The run was started before; it is not started again.</summary>
    AlreadyStarted = 4,

    /// <summary>The shepherd ended before it reported.</summary>
    ShepherdEnded = 5,

    /// <summary>The run is set up and held until its due time (the spec's <c>not_before_ns</c>); its shepherd lets its command go then.</summary>
    Waiting = 6,

    /// <summary>The start's record did not fit on the disk: nothing of the start is in the run file, nothing ran (no exit record); it is started again once there is space.</summary>
    NoSpace = 7,

    /// <summary>The shepherd program could not be run at all.</summary>
    NotLaunched = 100,

    /// <summary>The launcher did not exit in time.</summary>
    TimedOut = 101,

    /// <summary>The launcher died of a signal or exited with an unknown code.</summary>
    Crashed = 102,
}
