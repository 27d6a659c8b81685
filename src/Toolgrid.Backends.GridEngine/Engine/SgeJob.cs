namespace Toolgrid.Backends.GridEngine.Engine;

/// <summary>A job as <c>qstat -xml</c> lists it: pending, or on a node.</summary>
/// <param name="Number">The engine's job id.</param>
/// <param name="Name">The job's name (<c>-N</c>); Toolgrid's are <c>tg-RUNID</c>.</param>
/// <param name="Owner">The Unix user it runs as (who submitted it).</param>
/// <param name="State">The state letters, e.g. <c>qw</c>, <c>r</c>, <c>dr</c> (deleting), <c>Eqw</c>, <c>Rr</c>.</param>
/// <param name="Pending">Whether qstat lists it as pending (not on a node yet).</param>
/// <param name="Queue">The cluster queue it runs in; null while pending.</param>
/// <param name="Node">The host it runs on; null while pending.</param>
/// <param name="StartedAt">When the qmaster dispatched it (seconds), for a job on a node.</param>
/// <param name="SubmittedAt">When it was submitted, for a pending job.</param>
/// <param name="Slots">The slots it holds or asks for.</param>
public sealed record SgeJob(
    long Number,
    string Name,
    string Owner,
    string State,
    bool Pending,
    string? Queue,
    string? Node,
    DateTimeOffset? StartedAt,
    DateTimeOffset? SubmittedAt,
    int Slots)
{
    /// <summary>Whether it is being deleted (<c>qdel</c> was asked; it has not ended yet).</summary>
    public bool Deleting => State.Contains('d', StringComparison.Ordinal);

    /// <summary>Whether it is in error (<c>E</c>): it will not start until the error is cleared.</summary>
    public bool InError => State.Contains('E', StringComparison.Ordinal);
}
