using Toolgrid.Core.Api;
using Toolgrid.Core.Runs;

namespace Toolgrid.Cli.Runs;

/// <summary>How a finished job ended, for <c>jobs run --wait</c>: the exit code and a line for standard error.</summary>
/// <param name="ExitCode">The run's own exit code, or one of <see cref="WaitExitCode"/>'s.</param>
/// <param name="Line">E.g. "job fetch: failed (out-of-memory): went over its memory limit of 64Mi and was killed".</param>
internal sealed record RunOutcome(int ExitCode, string Line)
{
    /// <summary>The outcome of <paramref name="job"/>'s newest run.</summary>
    public static RunOutcome Of(JobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Runs.Count == 0)
        {
            return new RunOutcome(ExitCodes.Refused, $"job {job.Name}: finished without any run.");
        }

        var view = job.Runs[0];
        if (!WireNames.TryParseState(view.State, out var state) || !state.IsTerminal())
        {
            return new RunOutcome(ExitCodes.Refused, $"job {job.Name}: the API says it is finished, but its last run is '{view.State}'.");
        }

        return new RunOutcome(WaitExitCode.For(ToRun(job, view, state)), Describe(job.Name, view));
    }

    /// <summary>One line for a run: "job fetch: failed (out-of-memory): went over…".</summary>
    public static string Describe(string job, RunView run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.State == Wire.Of(RunState.Succeeded))
        {
            return $"job {job}: succeeded" + Attempts(run);
        }

        var line = $"job {job}: {run.State}";
        if (run.Reason != Wire.Of(RunReason.Exited))
        {
            line += $" ({run.Reason})";
        }

        if (!string.IsNullOrEmpty(run.Message))
        {
            line += ": " + run.Message;
        }

        return line + Attempts(run);
    }

    /// <summary>Core's run for a run the API showed, so that Core's rules (<see cref="WaitExitCode"/>) apply to it.</summary>
    /// <remarks>A reason this CLI does not know (a newer server) is read as <see cref="RunReason.Exited"/>: the run's own exit code then decides.</remarks>
    internal static Run ToRun(JobView job, RunView view, RunState state) => new()
    {
        Id = view.Id,
        ToolName = job.Tool,
        JobName = job.Name,
        Command = job.Command,
        Attempt = view.Attempt,
        State = state,
        Reason = WireNames.TryParseReason(view.Reason, out var reason) ? reason : RunReason.Exited,
        Message = view.Message,
        ExitCode = view.ExitCode,
        Signal = view.Signal,
        Node = view.Node,
        Pid = view.Pid,
        SubmittedAt = view.SubmittedAt,
        StartedAt = view.StartedAt,
        FinishedAt = view.FinishedAt,
    };

    private static string Attempts(RunView run) =>
        run.Attempt > 1 ? $" (attempt {run.Attempt})" : "";
}
