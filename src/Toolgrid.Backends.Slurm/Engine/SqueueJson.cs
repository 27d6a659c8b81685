using System.Globalization;

namespace Toolgrid.Backends.Slurm.Engine;

/// <summary>Reads what <c>squeue --json -t all</c> prints (Slurm 22.05): every job slurmctld keeps, pending, running or ended.</summary>
/// <remarks>
/// Times are epoch seconds, 0 when not yet. A running job's <c>end_time</c> is its start plus its
/// time limit (a year ahead when it has none), so it is read only for an ended job. <c>exit_code</c>
/// is the batch script's raw wait status. The node is <c>batch_host</c>, where the script runs.
/// </remarks>
public static class SqueueJson
{
    public const string Command = "squeue --json -t all";

    /// <summary>Reads the jobs from squeue's standard output as it comes.</summary>
    /// <exception cref="SlurmOutputException">The output is not JSON, reports errors, or lacks a field Toolgrid needs.</exception>
    public static Task<IReadOnlyList<SlurmJob>> ParseAsync(Stream json, CancellationToken cancellationToken) =>
        SlurmJson.ListAsync(json, Command, "jobs", ParseJob, cancellationToken);

    private static SlurmJob ParseJob(System.Text.Json.JsonElement item)
    {
        var what = "a job of '" + Command + "'";
        var id = SlurmJson.Long(item, "job_id", what);
        what = $"job {id.ToString(CultureInfo.InvariantCulture)} of '{Command}'";
        var state = SlurmJson.String(item, "job_state", what);
        var job = new SlurmJob(
            id,
            SlurmJson.String(item, "name", what),
            SlurmJson.String(item, "user_name", what),
            (int)SlurmJson.Long(item, "user_id", what),
            state,
            SlurmJson.String(item, "state_reason", what),
            SlurmJson.String(item, "partition", what),
            SlurmJson.String(item, "batch_host", what) is { Length: > 0 } host ? host : null,
            SlurmJson.Time(item, "submit_time", what) ?? DateTimeOffset.UnixEpoch,
            SlurmJson.Time(item, "start_time", what),
            null,
            (int)SlurmJson.Long(item, "exit_code", what));
        return job.Ended ? job with { EndedAt = SlurmJson.Time(item, "end_time", what) } : job;
    }
}
