using Toolgrid.Core.Backends;

namespace Toolgrid.Core.Health;

/// <summary>
/// One probed run's health over its checks: the rules every prober follows (the local backend's
/// on its node, the grid backends' on the login host). Not thread-safe: its prober guards it.
/// </summary>
/// <remarks>
/// The startup check runs about every second (never less often than the interval) until it first
/// passes: the run is then healthy (ready). If it has not passed within the startup timeout, the
/// run is unhealthy. After that the liveness check runs every interval, and the failure
/// threshold's worth of failures in a row make the run unhealthy; a pass makes it healthy again.
/// </remarks>
/// <param name="check">How the run is checked.</param>
/// <param name="time">The prober's clock.</param>
/// <param name="trackedAt">When probing began (a timestamp of <paramref name="time"/>): the startup timeout counts from here.</param>
public sealed class HealthProgress(HealthCheck check, TimeProvider time, long trackedAt)
{
    private static readonly TimeSpan StartupCadence = TimeSpan.FromSeconds(1);
    private readonly long _trackedAt = trackedAt;

    /// <summary>Whether the startup phase is over (passed, or timed out): liveness checks from now on.</summary>
    public bool StartupOver { get; private set; }

    /// <summary>Failed liveness checks in a row.</summary>
    public int Failures { get; private set; }

    /// <summary>When the next check is due (a timestamp of the prober's clock).</summary>
    public long NextDue { get; private set; } = trackedAt;

    /// <summary>The latest verdict: null until the startup check passed or timed out.</summary>
    public bool? Healthy { get; private set; }

    /// <summary>What the failing check said.</summary>
    public string? Message { get; private set; }

    /// <summary>Records a check's outcome and schedules the next; whether <see cref="Healthy"/> changed.</summary>
    public bool Record(CheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var now = time.GetTimestamp();
        var before = Healthy;
        if (!StartupOver)
        {
            if (result.Passed)
            {
                StartupOver = true;
                (Healthy, Message) = (true, null);
            }
            else if (time.GetElapsedTime(_trackedAt, now) >= check.StartupTimeout)
            {
                StartupOver = true;
                Failures = check.FailureThreshold;
                (Healthy, Message) = (false, $"did not pass its startup check within {CheckResult.Describe(check.StartupTimeout)} ({result.Message})");
            }

            var wait = StartupOver ? check.Interval : (check.Interval < StartupCadence ? check.Interval : StartupCadence);
            NextDue = now + Ticks(wait);
        }
        else
        {
            if (result.Passed)
            {
                Failures = 0;
                (Healthy, Message) = (true, null);
            }
            else if (++Failures >= check.FailureThreshold && Healthy != false)
            {
                var times = Failures == 1 ? "once" : $"{Failures} times in a row";
                (Healthy, Message) = (false, $"{result.Message} (failed {times})");
            }

            NextDue = now + Ticks(check.Interval);
        }

        return Healthy != before;
    }

    private long Ticks(TimeSpan wait) => (long)(wait.TotalSeconds * time.TimestampFrequency);
}
