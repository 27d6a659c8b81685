using Toolgrid.Core.Api;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Jobs;

/// <summary>Says in words what a job is doing, so that nobody has to guess from a bare state.</summary>
public static class JobStatus
{
    /// <summary>Whether a job has nothing more to do: no active run and no retry to come.</summary>
    public static bool IsFinished(Job job, Run? latest)
    {
        if (latest is null || latest.IsActive)
        {
            return false;
        }

        if (job.Kind != JobKind.OneOff)
        {
            return job.DeletedAt is not null;
        }

        var retriable = latest.State is RunState.Failed or RunState.Lost;
        return !retriable || latest.Attempt > job.Retry || job.DeletedAt is not null;
    }

    public static string Describe(Job job, Run? latest, DateTimeOffset now)
    {
        if (job.DeletedAt is not null)
        {
            return latest is { IsActive: true } ? "deleting: stopping its run" : "deleted";
        }

        if (latest is null)
        {
            return "no runs yet";
        }

        var attempt = job.Retry > 0 ? $" (attempt {latest.Attempt} of {job.Retry + 1})" : "";
        return latest.State switch
        {
            RunState.Queued when latest.Reason == RunReason.Retry => $"queued for a retry{attempt}: the previous attempt failed",
            RunState.Queued => $"queued{attempt}: waiting for a node",
            RunState.Starting => $"starting on {latest.Node}{attempt}",
            RunState.Running when latest.StopRequestedAt is not null => $"stopping on {latest.Node} ({Wire.Of(latest.StopReason ?? RunReason.Stopped)})",
            RunState.Running => $"running on {latest.Node} for {Ago(now - (latest.StartedAt ?? now))}{attempt}",
            RunState.Succeeded => $"succeeded {Ago(now - (latest.FinishedAt ?? now))} ago{attempt}",
            _ when !IsFinished(job, latest) => $"{Wire.Of(latest.State)} ({Outcome(latest)}){attempt}; retrying",
            _ => $"{Wire.Of(latest.State)} {Ago(now - (latest.FinishedAt ?? now))} ago: {Outcome(latest)}{attempt}",
        };
    }

    private static string Outcome(Run run) =>
        run.Message is { Length: > 0 } message ? $"{Wire.Of(run.Reason)}, {message}" : Wire.Of(run.Reason);

    /// <summary>A short human duration: "12s", "4m", "3h", "2d".</summary>
    public static string Ago(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalSeconds < 90 ? $"{(int)span.TotalSeconds}s"
            : span.TotalMinutes < 90 ? $"{(int)span.TotalMinutes}m"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours}h"
            : $"{(int)span.TotalDays}d";
    }
}
