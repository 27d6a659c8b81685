namespace Toolgrid.Backends.Slurm.Engine;

/// <summary>A job as <c>squeue --json -t all</c> lists it: pending, on a node, or ended and still kept by slurmctld (<c>MinJobAge</c>).</summary>
/// <param name="Id">The engine's job id.</param>
/// <param name="Name">The job's name (<c>-J</c>); Toolgrid's are <c>tg-RUNID</c>.</param>
/// <param name="User">The Unix user it runs as.</param>
/// <param name="Uid">Its uid.</param>
/// <param name="State">Slurm's job state: <c>PENDING</c>, <c>RUNNING</c>, <c>COMPLETED</c>, <c>FAILED</c>, <c>CANCELLED</c>, <c>OUT_OF_MEMORY</c>, <c>NODE_FAIL</c>…</param>
/// <param name="Reason">Why it is in that state (<c>Resources</c>, <c>NonZeroExitCode</c>, <c>JobLaunchFailure</c>, <c>NodeDown</c>…); <c>None</c> when there is no reason.</param>
/// <param name="Partition">The partition it was submitted to.</param>
/// <param name="Node">The node its batch script runs (or ran) on; null while pending, or when it never got one.</param>
/// <param name="SubmittedAt">When it was submitted.</param>
/// <param name="StartedAt">When it started; null while pending.</param>
/// <param name="EndedAt">When it ended; null while it has not.</param>
/// <param name="WaitStatus">Its batch script's end as a raw wait status (<c>exit_code</c>): exit code × 256, or the signal; Slurm's own error code when it could not launch the script.</param>
public sealed record SlurmJob(
    long Id,
    string Name,
    string User,
    int Uid,
    string State,
    string Reason,
    string Partition,
    string? Node,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    int WaitStatus)
{
    private static readonly HashSet<string> EndStates =
    [
        "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY",
    ];

    /// <summary>Whether it has ended (a final state: it will not run again unless requeued).</summary>
    public bool Ended => EndStates.Contains(State);

    /// <summary>Whether it waits for a node.</summary>
    public bool Pending => State == "PENDING";
}
