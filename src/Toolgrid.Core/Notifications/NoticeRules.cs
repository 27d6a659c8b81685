using System.Globalization;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Notifications;

/// <summary>
/// Which events of a job's runs its maintainers are told about, under the job's
/// <c>--emails</c> policy, and what the notice says. Pure: the caller writes the notice it gets
/// in the same transaction as the change of the run that caused it.
/// </summary>
/// <remarks>
/// <para>The policies (Toolforge's meanings, made precise):</para>
/// <list type="table">
/// <item><term><c>none</c></term><description>no notice, ever.</description></item>
/// <item><term><c>onfailure</c></term><description>
/// every end that is a failure: a run that <c>failed</c> (a non-zero exit code, a signal the
/// platform did not send, out of memory, timed out, failed its health check, could not start) or
/// was <c>lost</c> (its node or shepherd went away, the backend forgot it); every <c>skipped</c>
/// scheduled run (overlap, or missed while the controller was down); and every crash-loop report
/// of a continuous job. A run <c>killed</c> on purpose — stopped by a maintainer, an admin or the
/// tool itself, replaced (its job changed, was restarted, or a newer scheduled run replaced it
/// under <c>--concurrency replace</c>), stopped because its job or tool was deleted, or because its
/// interactive session ended — is not a failure: someone asked for it. (The run does not record
/// who stopped it, so an admin's stop counts as deliberate too.) A kill for any other reason
/// counts as a failure.
/// </description></item>
/// <item><term><c>onfinish</c></term><description>every end (<c>succeeded</c>, <c>failed</c>,
/// <c>killed</c>, <c>lost</c>), every skipped run and every crash-loop report.</description></item>
/// <item><term><c>all</c></term><description>what <c>onfinish</c> gives, and every start.</description></item>
/// </list>
/// <para>
/// Crash loops: while a continuous job crash-loops (<see cref="Job.RestartCount"/> is at least
/// <see cref="CrashLoopThreshold"/>, as counted by <c>Backoff.OnRunEnded</c> for the run that just
/// ended), its runs' individual starts and ends (other than deliberate stops) give no notice; the
/// crash-loop reports speak for them, at the 3rd, 6th, 12th, 24th… end in a row
/// (<see cref="IsCrashLoopReport"/>). With the crash-loop backoff capped at minutes, that keeps a
/// loop that lasts for days down to a handful of mails, while a loop of hundreds of quick runs
/// within one mail window still makes one mail.
/// </para>
/// <para>
/// A summary is one line, <c>HEADLINE: DETAIL</c>, where the headline is a few words that read
/// after the job's name ("fetch failed", "bot crash-looping") and go into the mail's subject.
/// </para>
/// </remarks>
public static class NoticeRules
{
    /// <summary>The crash-loop count (ends in a row) from which a continuous job is reported as crash-looping.</summary>
    public const int CrashLoopThreshold = 3;

    /// <summary>The longest excerpt a notice keeps (the store's column holds 16 KiB).</summary>
    public const int MaxExcerptLength = 16 * 1024;

    /// <summary>The longest summary a notice keeps.</summary>
    public const int MaxSummaryLength = 1000;

    /// <summary>Whether <paramref name="policy"/> mails about failures (and skips and crash loops).</summary>
    public static bool MailsFailures(EmailPolicy policy) => policy is EmailPolicy.OnFailure or EmailPolicy.OnFinish or EmailPolicy.All;

    /// <summary>Whether <paramref name="policy"/> mails about every end.</summary>
    public static bool MailsEveryEnd(EmailPolicy policy) => policy is EmailPolicy.OnFinish or EmailPolicy.All;

    /// <summary>Whether a run that ended so is a failure (mailed under <c>onfailure</c>).</summary>
    public static bool IsFailure(RunState state, RunReason reason) => state switch
    {
        RunState.Failed or RunState.Lost or RunState.Skipped => true,
        RunState.Killed => !IsDeliberateStop(reason),
        _ => false,
    };

    /// <summary>Whether a kill for <paramref name="reason"/> was asked for (by a person, or by the job's own policy).</summary>
    public static bool IsDeliberateStop(RunReason reason) =>
        reason is RunReason.Stopped or RunReason.Replaced or RunReason.NodeDrained or RunReason.JobDeleted or RunReason.ToolDeleted or RunReason.Detached;

    /// <summary>Whether the <paramref name="restartCount"/>-th end in a row is reported as a crash loop: the 3rd, 6th, 12th, 24th…</summary>
    public static bool IsCrashLoopReport(int restartCount)
    {
        if (restartCount < CrashLoopThreshold || restartCount % CrashLoopThreshold != 0)
        {
            return false;
        }

        var multiple = restartCount / CrashLoopThreshold;
        return (multiple & (multiple - 1)) == 0;
    }

    /// <summary>
    /// The notice for the end of <paramref name="run"/> (call it once, when the end is recorded, after
    /// <c>Backoff.OnRunEnded</c>); null when the job's policy asks for none. A skipped run is handed to
    /// <see cref="ForSkip"/>.
    /// </summary>
    /// <param name="job">The run's job, with its policy and (for continuous jobs) its crash-loop count.</param>
    /// <param name="run">The run, in a terminal state.</param>
    /// <param name="excerpt">The last lines of its output, or null.</param>
    public static Notice? ForRunEnd(Job job, Run run, string? excerpt) => EndNotice(job, run, () => excerpt);

    /// <summary>The end notice, reading the excerpt only when there is a notice to put it in.</summary>
    private static Notice? EndNotice(Job job, Run run, Func<string?> excerpt)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(excerpt);
        if (!run.IsTerminal)
        {
            return null;
        }

        if (run.State == RunState.Skipped)
        {
            return ForSkip(job, run);
        }

        var failure = IsFailure(run.State, run.Reason);
        if (!(failure ? MailsFailures(job.Emails) : MailsEveryEnd(job.Emails)))
        {
            return null;
        }

        if (InCrashLoop(job) && !(run.State == RunState.Killed && IsDeliberateStop(run.Reason)))
        {
            return null;
        }

        var kind = run.State == RunState.Succeeded ? NoticeKind.RunSucceeded : NoticeKind.RunFailed;
        return New(job, run, kind, DescribeEnd(run), run.FinishedAt ?? run.StartedAt ?? run.SubmittedAt, excerpt());
    }

    /// <summary>
    /// Every notice a change of <paramref name="run"/> from <paramref name="before"/> gives, in one
    /// call for the code that records run changes (in the same transaction): its start, its skip, or
    /// its end and, when the end was counted in a crash loop, the crash-loop report.
    /// </summary>
    /// <param name="job">The run's job; for an end, after <c>Backoff.OnRunEnded</c> counted it.</param>
    /// <param name="run">The run as changed.</param>
    /// <param name="before">Its state before the change.</param>
    /// <param name="crashLoopCounted">Whether <c>Backoff.OnRunEnded</c> counted this end (it returned true).</param>
    /// <param name="now">The time, when the job has no next start.</param>
    /// <param name="excerpt">Reads the last lines of the job's output; called at most once, and only when a notice takes them.</param>
    public static IReadOnlyList<Notice> ForChange(Job job, Run run, RunState before, bool crashLoopCounted, DateTimeOffset now, Func<string?> excerpt)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(excerpt);
        if (before == run.State || before.IsTerminal())
        {
            return [];
        }

        if (run.State == RunState.Running)
        {
            return ForRunStart(job, run) is { } started ? [started] : [];
        }

        if (!run.IsTerminal)
        {
            return [];
        }

        string? read = null;
        var wasRead = false;
        string? Once()
        {
            if (!wasRead)
            {
                read = excerpt();
                wasRead = true;
            }

            return read;
        }

        var notices = new List<Notice>(2);
        if (EndNotice(job, run, Once) is { } ended)
        {
            notices.Add(ended);
        }

        if (crashLoopCounted && CrashLoopNotice(job, job.RestartCount, run, job.NextStartAt ?? now, Once) is { } loop)
        {
            notices.Add(loop);
        }

        return notices;
    }

    /// <summary>The notice for the start of <paramref name="run"/>: only under <c>all</c>, and not while its job crash-loops.</summary>
    public static Notice? ForRunStart(Job job, Run run)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(run);
        if (job.Emails != EmailPolicy.All || run.StartedAt is null && run.State != RunState.Running || InCrashLoop(job))
        {
            return null;
        }

        var where = run.Node is { Length: > 0 } node ? $"on node {node}" : "on its node";
        var attempt = run.Attempt > 1 ? string.Create(CultureInfo.InvariantCulture, $", attempt {run.Attempt}") : "";
        var due = run.DueAt is { } dueAt ? $", due at {Utc(dueAt)}" : "";
        return New(job, run, NoticeKind.RunStarted, $"started: {where}{attempt}{due}", run.StartedAt ?? run.SubmittedAt, null);
    }

    /// <summary>The notice for a scheduled run that was skipped: under <c>onfailure</c> and above.</summary>
    public static Notice? ForSkip(Job job, Run run)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(run);
        if (run.State != RunState.Skipped || !MailsFailures(job.Emails))
        {
            return null;
        }

        var due = run.DueAt is { } dueAt ? $"due at {Utc(dueAt)}" : "due";
        var why = run.Reason switch
        {
            RunReason.Overlap => $"{due} while the previous run still ran (--concurrency forbid)",
            RunReason.Missed => $"{due} while the controller was down; not run late (--catch-up skip, or past the catch-up window)",
            _ => run.Message is { Length: > 0 } message ? $"{due}: {message}" : due,
        };
        return New(job, run, NoticeKind.RunSkipped, "skipped: " + why, run.FinishedAt ?? run.DueAt ?? run.SubmittedAt, null);
    }

    /// <summary>
    /// The crash-loop report of a continuous job whose <paramref name="lastRun"/> was its
    /// <paramref name="restartCount"/>-th end in a row; null unless that count is a report point
    /// (<see cref="IsCrashLoopReport"/>) and the policy mails failures.
    /// </summary>
    /// <param name="job">The continuous job.</param>
    /// <param name="restartCount">Its ends in a row, counting <paramref name="lastRun"/>.</param>
    /// <param name="lastRun">The run that just ended.</param>
    /// <param name="nextTry">When the next run starts (after the backoff).</param>
    /// <param name="excerpt">The last lines of the last run's output, or null.</param>
    public static Notice? ForCrashLoop(Job job, int restartCount, Run lastRun, DateTimeOffset nextTry, string? excerpt = null) =>
        CrashLoopNotice(job, restartCount, lastRun, nextTry, () => excerpt);

    /// <summary>The crash-loop report, reading the excerpt only when there is a notice to put it in.</summary>
    private static Notice? CrashLoopNotice(Job job, int restartCount, Run lastRun, DateTimeOffset nextTry, Func<string?> excerpt)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(lastRun);
        ArgumentNullException.ThrowIfNull(excerpt);
        if (job.Kind != JobKind.Continuous || !MailsFailures(job.Emails) || !IsCrashLoopReport(restartCount))
        {
            return null;
        }

        var ended = lastRun.FinishedAt ?? nextTry;
        var wait = nextTry > ended ? "next try in " + Contracts.Jobs.Duration.Format(nextTry - ended) + $" (at {Utc(nextTry)})" : "next try now";
        // The run after this end has not started yet: the restarts so far are the runs after the first.
        var restarts = Backoff.Restarts(Backoff.RestartsMade(restartCount, nextRunStarted: false));
        var summary = string.Create(CultureInfo.InvariantCulture, $"crash-looping: {restarts} in a row, last {DescribeLastEnd(lastRun)}, {wait}");
        return New(job, lastRun, NoticeKind.CrashLoop, summary, ended, excerpt());
    }

    /// <summary>The headline of a summary: the words before the first ": " ("failed", "crash-looping").</summary>
    public static string Headline(string summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var colon = summary.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? summary : summary[..colon];
    }

    /// <summary>What happened to a run that ended, in one line that starts with its headline.</summary>
    public static string DescribeEnd(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var ran = run.StartedAt is { } started && run.FinishedAt is { } finished && finished >= started
            ? " after " + Contracts.Jobs.Duration.Format(finished - started)
            : "";
        var node = run.Node is { Length: > 0 } n ? n : "its node";
        return run.State switch
        {
            RunState.Succeeded => "succeeded: exit code 0" + ran,
            RunState.Failed => run.Reason switch
            {
                RunReason.OutOfMemory => $"ran out of memory: went over its limit of {MemorySize.Format(run.MemoryBytes)} and was killed{ran}",
                RunReason.TimedOut => "timed out: ran past its timeout" + (run.TimeoutSeconds is { } t ? " of " + Contracts.Jobs.Duration.Format(TimeSpan.FromSeconds(t)) : "") + " and was stopped" + ran,
                RunReason.StartFailed => "failed to start: " + (run.Message ?? "the backend could not start it"),
                RunReason.Unhealthy => "unhealthy: failed its health check and was stopped" + ran,
                _ when run.Signal is { } signal => string.Create(CultureInfo.InvariantCulture, $"failed: killed by signal {signal} ({Signals.Name(signal)}){ran}"),
                _ when run.ExitCode is { } code => string.Create(CultureInfo.InvariantCulture, $"failed: exit code {code}{ran}"),
                _ => "failed: " + (run.Message ?? run.Reason.ToString()) + ran,
            },
            RunState.Lost => run.Reason switch
            {
                RunReason.NodeLost => $"lost: node {node} went down; how the run ended is unknown",
                RunReason.ShepherdLost => $"lost: the shepherd watching it on {node} is gone; how the run ended is unknown",
                RunReason.Vanished => $"lost: the backend no longer knows it (on {node}); how the run ended is unknown",
                _ => "lost: " + (run.Message ?? "how the run ended is unknown"),
            },
            RunState.Killed => "stopped: " + run.Reason switch
            {
                RunReason.Stopped => "by a maintainer, an admin or the tool itself" + ran,
                RunReason.Replaced => "replaced (its job changed or was restarted, or a newer scheduled run replaced it)" + ran,
                RunReason.NodeDrained => $"its node {node} was drained; a new run took over elsewhere" + ran,
                RunReason.JobDeleted => "its job was deleted" + ran,
                RunReason.ToolDeleted => "its tool was deleted" + ran,
                RunReason.Detached => "its interactive session ended" + ran,
                _ => (run.Message ?? run.Reason.ToString()) + ran,
            },
            RunState.Skipped => "skipped: " + (run.Message ?? "it was not started"),
            _ => run.State.ToWire(),
        };
    }

    /// <summary>How the last run of a crash loop ended, in a few words ("exit code 1").</summary>
    private static string DescribeLastEnd(Run run) => run.Reason switch
    {
        RunReason.OutOfMemory => $"ran out of memory ({MemorySize.Format(run.MemoryBytes)})",
        RunReason.TimedOut => "timed out",
        RunReason.StartFailed => "failed to start",
        RunReason.Unhealthy => "failed its health check",
        _ when run.State == RunState.Lost => "was lost",
        _ when run.Signal is { } signal => $"killed by {Signals.Name(signal)}",
        _ when run.ExitCode is { } code => string.Create(CultureInfo.InvariantCulture, $"exit code {code}"),
        _ => run.State.ToWire(),
    };

    private static bool InCrashLoop(Job job) => job.Kind == JobKind.Continuous && job.RestartCount >= CrashLoopThreshold;

    private static Notice New(Job job, Run run, NoticeKind kind, string summary, DateTimeOffset at, string? excerpt) => new()
    {
        ToolName = job.ToolName,
        JobName = job.Name,
        RunId = run.Id == 0 ? null : run.Id,
        Kind = kind,
        Summary = OneLine(summary, MaxSummaryLength),
        Excerpt = string.IsNullOrEmpty(excerpt) ? null : excerpt.Length <= MaxExcerptLength ? excerpt : excerpt[^MaxExcerptLength..],
        At = at,
    };

    /// <summary>A summary stays on one line (run messages may come from a backend's error text).</summary>
    private static string OneLine(string text, int max)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
