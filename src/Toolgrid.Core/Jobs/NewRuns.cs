using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Jobs;

/// <summary>The runs a job gets: each new run, how runs are numbered, and the runs queued as a job is submitted.</summary>
public static class NewRuns
{
    /// <summary>A new queued run of <paramref name="job"/>, with the job's command and resources as they are now.</summary>
    public static Run Of(Job job, int attempt, RunReason reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new Run
        {
            JobId = job.Id,
            ToolName = job.ToolName,
            JobName = job.Name,
            Attempt = attempt,
            State = RunState.Queued,
            Reason = reason,
            Queue = job.Queue,
            Command = job.Command,
            MemoryBytes = job.MemoryBytes,
            CpuMillis = job.CpuMillis,
            Generation = job.Generation,
            TimeoutSeconds = job.TimeoutSeconds,
            SubmittedAt = now,
        };
    }

    /// <summary>
    /// The number (shown as "attempt") of a job's next run, <paramref name="index"/> runs after
    /// the first queued together: a one-off job's runs are each its first attempt (its retries
    /// are numbered by the supervisor); the runs of other jobs are numbered on from
    /// <paramref name="lastAttempt"/>, the highest number of its runs so far (0 for none).
    /// </summary>
    public static int Attempt(JobKind kind, int lastAttempt, int index = 0) =>
        kind == JobKind.OneOff ? 1 : lastAttempt + index + 1;

    /// <summary>
    /// The runs queued as <paramref name="job"/> is submitted, in the order of their numbers: a
    /// one-off job's run, a continuous job's replicas; none for a scheduled job, whose runs come
    /// when due.
    /// </summary>
    public static IReadOnlyList<Run> First(Job job, DateTimeOffset now, int lastAttempt = 0)
    {
        ArgumentNullException.ThrowIfNull(job);
        var count = job.Kind switch
        {
            JobKind.OneOff => 1,
            JobKind.Continuous => job.Replicas,
            _ => 0,
        };
        var runs = new List<Run>(count);
        for (var i = 0; i < count; i++)
        {
            runs.Add(Of(job, Attempt(job.Kind, lastAttempt, i), RunReason.Submitted, now));
        }

        return runs;
    }
}
