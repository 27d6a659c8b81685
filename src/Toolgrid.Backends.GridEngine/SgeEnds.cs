using System.Globalization;
using Toolgrid.Backends.GridEngine.Engine;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.GridEngine;

/// <summary>How a run ended, from its job's accounting record (accounting(5)'s <c>failed</c> and <c>exit_status</c>).</summary>
/// <remarks>
/// Checked on a real cluster (deploy/grid/README.md has the table): <c>failed</c> 0 is an exit
/// with <c>exit_status</c>; 100 is an end by signal <c>exit_status</c> − 128; 37 is the execd's
/// kill for going over a hard limit: over their run time when the job ran to the <c>h_rt</c> it was
/// given (its timeout), otherwise over their memory (<c>h_vmem</c>; runs get no <c>h_cpu</c>). A run
/// that ran to its <c>h_rt</c> is timed out however it then ended, as on <c>local</c>; 26, 27 and 28 are a job SGE could not start (its output
/// file, its shell, its working directory) and which it left pending in error (<c>Eqw</c>);
/// 19 is a job whose node died and came back. Any other code is reported lost, naming it.
/// </remarks>
public static class SgeEnds
{
    private static readonly Dictionary<int, string> NotStarted = new()
    {
        [26] = "Grid Engine could not open its output file (accounting: failed 26): does the directory of its log files exist on the node?",
        [27] = "Grid Engine could not find its shell (accounting: failed 27)",
        [28] = "Grid Engine could not change to its working directory on the node (accounting: failed 28): is the home shared with the node?",
    };

    /// <summary>
    /// Whether an end read from the accounting file alone may be reported before the next
    /// <c>qstat</c>: a plain exit, or an end by signal after Toolgrid's own stop. Not a job SGE could
    /// not start (it waits in <c>Eqw</c> until deleted, which needs it listed), nor an end by signal with
    /// no stop of Toolgrid's (a <c>qdel</c> outside Toolgrid shows only in <c>qstat</c>, as state <c>d</c>),
    /// nor anything lost: those wait for the next full read, as before.
    /// </summary>
    /// <param name="report">The report of the accounting record (<see cref="Report"/>).</param>
    /// <param name="stopped">Whether Toolgrid asked the run to stop.</param>
    /// <param name="removed">Whether a <c>qdel</c> outside Toolgrid was already seen.</param>
    public static bool KnownWithoutQstat(BackendRunReport report, bool stopped, bool removed) =>
        report is { Phase: BackendRunPhase.Exited, StartFailed: false } && !removed && (report.Signal is null || stopped);

    /// <summary>The report of run <paramref name="runId"/> whose job ended as <paramref name="record"/> says.</summary>
    public static BackendRunReport Report(long runId, SgeAccountingRecord record)
    {
        var report = Ended(runId, record);
        if (record.RuntimeLimitSeconds is { } limit && record.WallclockSeconds >= limit && record.StartedAt is not null && !report.StartFailed && report.Phase == BackendRunPhase.Exited)
        {
            // It ran to its h_rt: the execd signalled it (-notify) and the job script stopped it; or it
            // was killed at the end of the notify time (failed 37, which is then no memory kill).
            // How it ended is the job script's status (the execd's kill at the end of the notify time is 137).
            return report with
            {
                ExitCode = record.ExitStatus > 128 ? null : record.ExitStatus,
                Signal = record.ExitStatus > 128 ? record.ExitStatus - 128 : null,
                TimedOut = true,
                OutOfMemory = false,
                Message = $"ran past its timeout of {Duration.Format(TimeSpan.FromSeconds(limit))} (h_rt) and was stopped",
            };
        }

        return report;
    }

    private static BackendRunReport Ended(long runId, SgeAccountingRecord record)
    {
        var node = record.Host;
        return record.Failed switch
        {
            0 => new BackendRunReport(runId, node, BackendRunPhase.Exited, StartedAt: record.StartedAt, FinishedAt: record.EndedAt, ExitCode: record.ExitStatus),
            SgeAccountingRecord.FailedBySignal when record.ExitStatus > 128 =>
                new BackendRunReport(runId, node, BackendRunPhase.Exited, StartedAt: record.StartedAt, FinishedAt: record.EndedAt, Signal: record.ExitStatus - 128),
            SgeAccountingRecord.FailedHardLimit =>
                new BackendRunReport(
                    runId,
                    node,
                    BackendRunPhase.Exited,
                    StartedAt: record.StartedAt,
                    FinishedAt: record.EndedAt,
                    Signal: 9,
                    OutOfMemory: true,
                    Message: $"its processes together went over their memory limit (h_vmem); the most seen was {record.MaxVmemBytes.ToString(CultureInfo.InvariantCulture)} bytes"),
            _ when NotStarted.TryGetValue(record.Failed, out var why) =>
                new BackendRunReport(runId, node, BackendRunPhase.Exited, FinishedAt: record.EndedAt, StartFailed: true, Message: why),
            _ => new BackendRunReport(
                runId,
                node,
                BackendRunPhase.Lost,
                StartedAt: record.StartedAt,
                Message: $"Grid Engine recorded job {record.JobNumber.ToString(CultureInfo.InvariantCulture)} as failed {record.Failed.ToString(CultureInfo.InvariantCulture)} with exit status {record.ExitStatus.ToString(CultureInfo.InvariantCulture)}: how it ended is unknown"),
        };
    }
}
