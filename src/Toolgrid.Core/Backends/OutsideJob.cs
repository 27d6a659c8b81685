namespace Toolgrid.Core.Backends;

/// <summary>
/// A job a grid engine lists, pending or running, that is none of Toolgrid's runs: someone ran
/// <c>qsub</c> or <c>sbatch</c> by hand.
/// </summary>
/// <param name="JobId">The engine's job id.</param>
/// <param name="Name">The job's name, as its submitter gave it.</param>
/// <param name="Owner">The Unix user it runs as.</param>
/// <param name="Uid">Its uid, when the engine says it (Slurm does, Grid Engine does not).</param>
public sealed record OutsideJob(string JobId, string Name, string Owner, int? Uid)
{
    /// <summary>
    /// The jobs of <paramref name="listed"/> that are none of Toolgrid's runs: not a job recorded
    /// for a run (<paramref name="recorded"/>), nor one whose submission is under way
    /// (<paramref name="submitting"/>, the run's job name: its job id is recorded once the
    /// submission returns, and the engine may list it before that).
    /// </summary>
    public static IReadOnlyList<OutsideJob> Among(IEnumerable<OutsideJob> listed, IEnumerable<string> recorded, IEnumerable<string> submitting)
    {
        ArgumentNullException.ThrowIfNull(listed);
        var ours = recorded.ToHashSet(StringComparer.Ordinal);
        var underWay = submitting.ToHashSet(StringComparer.Ordinal);
        return [.. listed.Where(j => !ours.Contains(j.JobId) && !underWay.Contains(j.Name))];
    }
}
