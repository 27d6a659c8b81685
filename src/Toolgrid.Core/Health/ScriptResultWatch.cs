using Toolgrid.Core.Backends;

namespace Toolgrid.Core.Health;

/// <summary>
/// Turns what a grid run's result file holds, read once a tick on the login host, into the check
/// outcomes its <see cref="HealthProgress"/> records: each new result once, and a failure for every
/// stretch without one that is longer than a check can take. Pure: the file is read by the caller.
/// Not thread-safe: its prober guards it.
/// </summary>
/// <remarks>
/// A result is new when its node time is later than the last one taken, so the same file read
/// again is not counted twice and an older one put back is ignored. The loop on the node writes a
/// result every interval, each within the check's timeout: when none has come for
/// <see cref="Patience"/> (interval + timeout + <see cref="Margin"/>) on the login host's clock,
/// the loop or its node is stuck (or the file cannot be read), and that is a failed check; the
/// wait then starts again, so a loop silent for good fails once a patience, as a failing check
/// would once an interval.
/// </remarks>
/// <param name="check">The run's check.</param>
/// <param name="time">The prober's clock.</param>
/// <param name="trackedAt">When probing began (a timestamp of <paramref name="time"/>).</param>
public sealed class ScriptResultWatch(HealthCheck check, TimeProvider time, long trackedAt)
{
    /// <summary>What a result may take past its interval and timeout: the job's start, the file system's caching of the shared home, a busy node.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

    private long _waitingSince = trackedAt;

    /// <summary>How long the prober waits for a new result before it counts as a failed check.</summary>
    public TimeSpan Patience { get; } = check.Interval + check.Timeout + Margin;

    /// <summary>The node time of the last result taken; 0 before the first.</summary>
    public long LastTime { get; private set; }

    /// <summary>The outcome to record for this tick, given what the file holds now (<paramref name="latest"/>, null when there is no readable result); null when there is nothing to record.</summary>
    public CheckResult? Observe(ScriptResult? latest)
    {
        var now = time.GetTimestamp();
        if (latest is not null && latest.Time > LastTime)
        {
            LastTime = latest.Time;
            _waitingSince = now;
            return latest.ToCheckResult(check.Timeout);
        }

        if (time.GetElapsedTime(_waitingSince, now) <= Patience)
        {
            return null;
        }

        _waitingSince = now;
        return CheckResult.Fail($"no result of the health script came from the node for {CheckResult.Describe(Patience)} (its check loop or the node is stuck)");
    }
}
