using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Jobs;

/// <summary>The crash-loop backoff of continuous jobs: how long to wait before a run is started again.</summary>
/// <remarks>
/// The first restart comes at once (within the controller's wake-up, well under a second). Each
/// further end in a row waits longer: 10 s, 20 s, 40 s… up to <see cref="Cap"/>. A run that was
/// up (ready) for <see cref="HealthyFor"/> before it ended starts the count again. The count and
/// the next start are kept on the job, so a restart of the controller carries on where it was.
/// </remarks>
public static class Backoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan Cap = TimeSpan.FromMinutes(5);

    /// <summary>How long a run must have been up for the crash-loop count to start again.</summary>
    public static readonly TimeSpan HealthyFor = TimeSpan.FromMinutes(10);

    /// <summary>The wait before the run that follows the <paramref name="restartCount"/>-th end in a row.</summary>
    public static TimeSpan Delay(int restartCount) =>
        restartCount <= 1 ? TimeSpan.Zero : Doubling.Delay(First, Cap, restartCount - 1);

    /// <summary>
    /// What the end of <paramref name="run"/> changes in <paramref name="job"/>'s crash loop: its
    /// count and next start, or null when the end does not count. Runs stopped on purpose (the
    /// job changed, a maintainer restarted it) do not count; a run stopped for failing its health
    /// check does.
    /// </summary>
    public static CrashLoopCount? OnRunEnded(Job job, Run run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(run);
        if (job.Kind != JobKind.Continuous || !run.IsTerminal || run.Generation < job.Generation)
        {
            return null;
        }

        if (run.State == RunState.Killed)
        {
            // Stopped on purpose: the next run is wanted at once, and is no crash.
            return null;
        }

        var ended = run.FinishedAt ?? now;
        var up = run.ReadyAt ?? run.StartedAt;
        var count = up is not null && ended - up.Value >= HealthyFor ? 1 : job.RestartCount + 1;
        return new CrashLoopCount(count, ended + Delay(count));
    }

    /// <summary>
    /// How many restarts a crash loop has had: the runs after the first of the ends in a row
    /// (<see cref="Job.RestartCount"/> counts the ends), and the run after the last end once it
    /// has been started (<paramref name="nextRunStarted"/>). Two runs that ended are one restart.
    /// </summary>
    public static int RestartsMade(int endsInARow, bool nextRunStarted) =>
        Math.Max(0, endsInARow - 1 + (nextRunStarted ? 1 : 0));

    /// <summary>"1 restart", "3 restarts".</summary>
    public static string Restarts(int count) => count == 1 ? "1 restart" : $"{count} restarts";

    /// <summary>A maintainer's restart, or a change of the job: the count starts again.</summary>
    public static void Reset(Job job)
    {
        job.RestartCount = 0;
        job.NextStartAt = null;
    }
}
