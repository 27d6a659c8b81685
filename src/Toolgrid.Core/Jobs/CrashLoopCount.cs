namespace Toolgrid.Core.Jobs;

/// <summary>
/// What the end of a continuous job's run changes on its job (<see cref="Backoff.OnRunEnded"/>):
/// the ends in a row so far, and when the next run may start.
/// </summary>
/// <param name="RestartCount">The new <see cref="Job.RestartCount"/>.</param>
/// <param name="NextStartAt">The new <see cref="Job.NextStartAt"/>.</param>
public sealed record CrashLoopCount(int RestartCount, DateTimeOffset NextStartAt)
{
    /// <summary>Writes the count on <paramref name="job"/>; called by whoever stores the job.</summary>
    public void ApplyTo(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        job.RestartCount = RestartCount;
        job.NextStartAt = NextStartAt;
    }
}
