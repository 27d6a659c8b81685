using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Wrappers;

/// <summary>Reads a <see cref="JobView"/> as the grid's <c>qstat</c> would have shown it.</summary>
internal static class JobActivities
{
    public static JobActivity Of(JobView? job)
    {
        if (job is null)
        {
            return JobActivity.None;
        }

        var latest = job.Runs.Count > 0 ? job.Runs[0] : null;
        switch (latest?.State)
        {
            case "queued":
                return JobActivity.Queued;
            case "starting" or "running":
                return JobActivity.Running;
        }

        if (job.Deleting || job.Kind != "continuous")
        {
            return JobActivity.None;
        }

        // A continuous job between runs is started again by the platform, unless it ended as
        // on-failure asks (exit 0): to the grid it was queued, waiting for its restart.
        var done = job.Restart == "on-failure" && latest?.State == "succeeded" && job.NextStartAt is null;
        return done ? JobActivity.None : JobActivity.Queued;
    }
}
