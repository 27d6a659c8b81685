namespace Toolgrid.Contracts.Runs;

/// <summary>The exit codes of <c>toolgrid jobs run --wait</c> (documented in the user guide).</summary>
/// <remarks>
/// A run that exited passes its own code through; one killed by a signal the platform did not
/// send gives 128 + the signal, as shells do. The platform's own outcomes use 240–245, a range
/// that commands rarely use; the CLI also prints what happened on standard error, so the rare
/// command that exits 240–245 itself is never mistaken for one of these.
/// </remarks>
public static class WaitExitCode
{
    /// <summary>The run was stopped by a maintainer, an admin, or the deletion of its job or tool.</summary>
    public const int Killed = 240;

    /// <summary>The run was lost with its node or shepherd; how it ended is unknown.</summary>
    public const int Lost = 241;

    /// <summary>The run went over its memory limit.</summary>
    public const int OutOfMemory = 242;

    /// <summary>The run ran past its timeout.</summary>
    public const int TimedOut = 243;

    /// <summary>The run could not be started.</summary>
    public const int StartFailed = 244;

    /// <summary>The CLI stopped waiting before the run ended (connection lost, Ctrl-C); the run goes on.</summary>
    public const int WaitInterrupted = 245;

    /// <summary>The exit code for a run that ended in <paramref name="state"/> for <paramref name="reason"/>.</summary>
    public static int For(RunState state, RunReason reason, int? exitCode, int? signal) => state switch
    {
        RunState.Succeeded => 0,
        RunState.Lost => Lost,
        RunState.Killed => Killed,
        RunState.Failed => reason switch
        {
            RunReason.OutOfMemory => OutOfMemory,
            RunReason.TimedOut => TimedOut,
            RunReason.StartFailed => StartFailed,
            RunReason.Signaled => 128 + (signal ?? 0),
            _ => exitCode is { } code and > 0 and < 256 ? code : 1,
        },
        _ => throw new InvalidOperationException($"a run that is {state.ToWire()} has not ended"),
    };
}
