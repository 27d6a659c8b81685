namespace Toolgrid.Contracts.Runs;

/// <summary>How a run's state and reason are spelled on the wire (<c>RunView.State</c>, <c>RunView.Reason</c>, mail, the CLI).</summary>
public static class RunWire
{
    /// <summary><c>queued</c>, <c>running</c>, <c>succeeded</c>, …</summary>
    public static string Of(RunState state) => state.ToWire();

    /// <summary><c>exited</c>, <c>out-of-memory</c>, <c>start-failed</c>, …</summary>
    public static string Of(RunReason reason) => reason switch
    {
        RunReason.OutOfMemory => "out-of-memory",
        RunReason.TimedOut => "timed-out",
        RunReason.StartFailed => "start-failed",
        RunReason.StartDeferred => "start-deferred",
        RunReason.JobDeleted => "job-deleted",
        RunReason.ToolDeleted => "tool-deleted",
        RunReason.ShepherdLost => "shepherd-lost",
        RunReason.NodeLost => "node-lost",
        RunReason.NodeDrained => "node-drained",
        RunReason.CaughtUp => "caught-up",
        RunReason.RemovedOutside => "removed-outside",
        _ => reason.ToString().ToLowerInvariant(),
    };

    /// <summary>The run state a wire spelling names (the inverse of <see cref="Of(RunState)"/>).</summary>
    public static bool TryParse(string? text, out RunState state) => WireSpelling.TryParse(text, Of, out state);

    /// <summary>The run reason a wire spelling names (the inverse of <see cref="Of(RunReason)"/>).</summary>
    public static bool TryParse(string? text, out RunReason reason) => WireSpelling.TryParse(text, Of, out reason);
}
