using System.Globalization;
using Toolgrid.Backends.Slurm.Engine;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Slurm;

/// <summary>How a run ended, from its job as <c>squeue --json -t all</c> lists it once ended.</summary>
/// <remarks>
/// Checked on a real cluster (deploy/grid/README.md has the table). <c>exit_code</c> is the batch
/// script's wait status, and the script is the command (<see cref="JobScript"/>): <c>COMPLETED</c>
/// and <c>FAILED</c> are an exit with its code, or an end by its signal (Slurm says <c>FAILED</c>,
/// reason <c>JobLaunchFailure</c>, for a script ended by a signal too). A <c>FAILED</c> job whose
/// <c>exit_code</c> is no wait status (4021: a signal number and an exit code at once) is one
/// slurmstepd could not launch, e.g. its output file could not be opened: its start failed.
/// <c>CANCELLED</c> is <c>scancel</c> (SIGTERM; a job cancelled while pending never started);
/// <c>OUT_OF_MEMORY</c> the kernel's kill in the job's memory cgroup; <c>TIMEOUT</c> its time
/// limit; <c>NODE_FAIL</c> its node stopped answering, which is lost. Any other end is lost, naming it.
/// </remarks>
public static class SlurmEnds
{
    // SIGRTMAX on Linux: Slurm's own codes (125 for an out-of-memory kill) are above it.
    private const int MaxSignal = 64;

    /// <summary>The report of run <paramref name="runId"/> whose job <paramref name="job"/> has ended.</summary>
    public static BackendRunReport Report(long runId, SlurmJob job)
    {
        var started = job.Node is null ? null : job.StartedAt;
        var (exit, signal) = Decode(job.WaitStatus);
        var ended = new BackendRunReport(runId, job.Node, BackendRunPhase.Exited, StartedAt: started, FinishedAt: job.EndedAt);
        return job.State switch
        {
            "COMPLETED" or "FAILED" when exit is not null || signal is not null => ended with { ExitCode = exit, Signal = signal },
            "FAILED" => ended with
            {
                StartFailed = true,
                StartedAt = null,
                Message = $"Slurm could not launch it{On(job)} ({job.Reason}, exit_code {job.WaitStatus.ToString(CultureInfo.InvariantCulture)}): can its user write its log files there?",
            },
            "CANCELLED" when job.Node is null => ended with { Signal = 15, Message = "cancelled (scancel) before it started" },
            "CANCELLED" => ended with { Signal = signal ?? 15, Message = "cancelled (scancel)" },
            "OUT_OF_MEMORY" => ended with { Signal = 9, OutOfMemory = true, Message = "the kernel killed it for going over its memory limit (--mem) in its job cgroup" },
            "TIMEOUT" => ended with { Signal = signal ?? 15, TimedOut = true, Message = "Slurm ended it at its time limit" },
            "NODE_FAIL" => new BackendRunReport(
                runId,
                job.Node,
                BackendRunPhase.Lost,
                StartedAt: started,
                NodeLost: true,
                Message: $"its node {job.Node ?? "(none)"} stopped answering: Slurm ended job {job.Id.ToString(CultureInfo.InvariantCulture)} as NODE_FAIL ({job.Reason}); how the run ended is unknown"),
            _ => new BackendRunReport(
                runId,
                job.Node,
                BackendRunPhase.Lost,
                StartedAt: started,
                Message: $"Slurm ended job {job.Id.ToString(CultureInfo.InvariantCulture)} as {job.State} ({job.Reason}){On(job)}: how the run ended is unknown"),
        };
    }

    /// <summary>
    /// A raw wait status as the exit code or the signal; both null when it is no wait status
    /// (Slurm puts its own codes there: 253, "signal 125", for an out-of-memory kill, and an error code when it could not launch the script).
    /// </summary>
    public static (int? ExitCode, int? Signal) Decode(int waitStatus)
    {
        var low = waitStatus & 0x7F;
        var high = (waitStatus >> 8) & 0xFF;
        if (waitStatus < 0 || waitStatus > 0xFFFF)
        {
            return (null, null);
        }

        return low switch
        {
            0 when (waitStatus & 0x80) == 0 => (high, null),
            > 0 and <= MaxSignal when high == 0 => (null, low),
            _ => (null, null),
        };
    }

    private static string On(SlurmJob job) => job.Node is null ? string.Empty : " on " + job.Node;
}
