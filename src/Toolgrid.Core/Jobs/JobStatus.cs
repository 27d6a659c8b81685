using Toolgrid.Contracts.Runs;
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

    /// <summary>What a job is doing, in words, from its recent runs (newest first) and, for a scheduled job, its next due time.</summary>
    public static string Describe(Job job, IReadOnlyList<Run> recent, DateTimeOffset now, DateTimeOffset? nextDue = null)
    {
        var latest = recent.Count > 0 ? recent[0] : null;
        return job.Kind switch
        {
            _ when job.DeletedAt is not null => Describe(job, latest, now),
            JobKind.Continuous => DescribeContinuous(job, recent, now),
            JobKind.Scheduled => DescribeScheduled(job, recent, now, nextDue),
            _ => Describe(job, latest, now),
        };
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
            RunState.Starting when latest.Reason == RunReason.StartDeferred => $"{Deferred(latest)}{attempt}",
            RunState.Starting => $"starting {Where(latest)}{attempt}",
            RunState.Running when latest.StopRequestedAt is not null => $"stopping on {latest.Node} ({RunWire.Of(latest.StopReason ?? RunReason.Stopped)})",
            RunState.Running => $"running on {latest.Node} for {Ago(now - (latest.StartedAt ?? now))}{attempt}",
            RunState.Succeeded => $"succeeded {Ago(now - (latest.FinishedAt ?? now))} ago{attempt}",
            _ when !IsFinished(job, latest) => $"{RunWire.Of(latest.State)} ({Outcome(latest)}){attempt}; retrying",
            _ => $"{RunWire.Of(latest.State)} {Ago(now - (latest.FinishedAt ?? now))} ago: {Outcome(latest)}{attempt}",
        };
    }

    private static string DescribeContinuous(Job job, IReadOnlyList<Run> recent, DateTimeOffset now)
    {
        var active = recent.Where(r => r.IsActive).ToList();
        var latest = recent.Count > 0 ? recent[0] : null;
        var ended = recent.FirstOrDefault(r => r.IsTerminal);
        if (active.Count == 0 && job.Restart == RestartPolicy.OnFailure && latest is { State: RunState.Succeeded })
        {
            return $"completed {Ago(now - (latest.FinishedAt ?? now))} ago: exited 0 (restart policy on-failure)";
        }

        var looping = job.RestartCount >= 2 && ended is not null;
        var running = active.Where(r => r.State == RunState.Running && r.StopRequestedAt is null).ToList();
        if (looping && running.Count == 0)
        {
            var wait = job.NextStartAt is { } next && next > now ? $"next try in {Ago(next - now)}" : "restarting now";
            var restarts = Backoff.RestartsMade(job.RestartCount, nextRunStarted: active.Count > 0);
            return $"crash-looping: {Backoff.Restarts(restarts)} in a row, last {LastEnd(ended!)}, {wait}";
        }

        if (running.FirstOrDefault(r => r.Healthy == false) is { } sick)
        {
            return $"unhealthy: a run on {sick.Node} fails its health check; it is being replaced";
        }

        if (active.Any(r => r.StopReason == RunReason.Replaced && r.StopRequestedAt is not null) || active.Any(r => r.Generation < job.Generation))
        {
            return $"replacing runs one at a time: {active.Count(r => r.Generation >= job.Generation)} of {job.Replicas} on the new version";
        }

        var ready = running.Count(r => r.ReadyAt is not null || (job.HealthCheckScript is null && job.HealthCheckHttpPath is null));
        if (running.Count == 0)
        {
            var waiting = active.FirstOrDefault(r => r.Reason == RunReason.StartDeferred && r.State == RunState.Starting);
            return waiting is not null ? Deferred(waiting)
                : active.Count > 0 ? $"starting {active.Count} of {job.Replicas} replica(s)" : "starting";
        }

        var since = running.Min(r => r.StartedAt ?? now);
        var where = string.Join(", ", running.Select(r => r.Node).Distinct());
        var replicas = job.Replicas > 1 ? $"{ready}/{job.Replicas} replicas up on {where}" : $"running on {where}";
        var readiness = ready < running.Count ? $", {running.Count - ready} waiting for the health check" : "";
        return looping
            ? $"crash-looping: running again for {Ago(now - since)} after {Backoff.Restarts(Backoff.RestartsMade(job.RestartCount, nextRunStarted: true))} in a row (last {LastEnd(ended!)})"
            : $"{replicas} for {Ago(now - since)}{readiness}";
    }

    private static string DescribeScheduled(Job job, IReadOnlyList<Run> recent, DateTimeOffset now, DateTimeOffset? nextDue)
    {
        // A run set up ahead of its due time is the next run, not the last one.
        var held = recent.FirstOrDefault(r => r.IsHeld && r.NotBefore > now);
        var latest = recent.FirstOrDefault(r => r != held);
        var next = held is { NotBefore: { } at }
            ? $"next run {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC (in {Ago(at - now)}, {(held.State == RunState.Queued ? "queued" : $"set up on {held.Node}")})"
            : nextDue is { } due ? $"next run {due.UtcDateTime:yyyy-MM-dd HH:mm} UTC (in {Ago(due - now)})" : "no next run";
        if (latest is null)
        {
            return next;
        }

        var last = latest.State switch
        {
            RunState.Queued => "a run is queued",
            RunState.Starting when latest.Reason == RunReason.StartDeferred => Deferred(latest),
            RunState.Starting => $"a run is starting {Where(latest)}",
            RunState.Running => $"running on {latest.Node} for {Ago(now - (latest.StartedAt ?? now))}",
            RunState.Succeeded => $"last run succeeded {Ago(now - (latest.FinishedAt ?? now))} ago",
            RunState.Skipped => $"last due time skipped ({RunWire.Of(latest.Reason)})",
            _ => $"last run {RunWire.Of(latest.State)} {Ago(now - (latest.FinishedAt ?? now))} ago: {Outcome(latest)}",
        };
        return $"{last}; {next}";
    }

    /// <summary>A run whose start cannot happen yet: "waiting to start on n1: port 8000 … is taken…; trying again at …".</summary>
    private static string Deferred(Run run) => $"waiting to start {Where(run)}: {run.Message ?? "its start cannot happen yet"}";

    /// <summary>Where a run that has not started yet goes: "on node1", or "in queue default" while a grid engine chooses its node.</summary>
    private static string Where(Run run) => run.Node is { } node ? "on " + node : $"in queue {run.Queue}, where the grid engine chooses its node";

    /// <summary>How a run ended, briefly: "exit 1", "signal SIGKILL", "out of memory".</summary>
    public static string LastEnd(Run run) => run.Reason switch
    {
        RunReason.OutOfMemory => "out of memory",
        RunReason.TimedOut => "timed out",
        RunReason.Unhealthy => "unhealthy",
        RunReason.StartFailed => "could not start",
        RunReason.ShepherdLost or RunReason.NodeLost or RunReason.Vanished => "lost",
        _ when run.Signal is { } signal => $"signal {Contracts.Runs.Signals.Name(signal)}",
        _ => $"exit {run.ExitCode}",
    };

    private static string Outcome(Run run) =>
        run.Message is { Length: > 0 } message ? $"{RunWire.Of(run.Reason)}, {message}" : RunWire.Of(run.Reason);

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
