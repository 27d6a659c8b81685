using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Runs;

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
        if (!RunWire.TryParse(view.State, out RunState state) || !state.IsTerminal())
        {
            return new RunOutcome(ExitCodes.Refused, $"job {job.Name}: the API says it is finished, but its last run is '{view.State}'.");
        }

        // A reason this CLI does not know (a newer server) is read as exited: the run's own exit code then decides.
        var reason = RunWire.TryParse(view.Reason, out RunReason known) ? known : RunReason.Exited;
        return new RunOutcome(WaitExitCode.For(state, reason, view.ExitCode, view.Signal), Describe(job.Name, view));
    }

    /// <summary>One line for a run: "job fetch: failed (out-of-memory): went over…".</summary>
    public static string Describe(string job, RunView run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.State == RunWire.Of(RunState.Succeeded))
        {
            return $"job {job}: succeeded" + Attempts(run);
        }

        var line = $"job {job}: {run.State}";
        if (run.Reason != RunWire.Of(RunReason.Exited))
        {
            line += $" ({run.Reason})";
        }

        if (!string.IsNullOrEmpty(run.Message))
        {
            line += ": " + run.Message;
        }

        return line + Attempts(run);
    }

    private static string Attempts(RunView run) =>
        run.Attempt > 1 ? $" (attempt {run.Attempt})" : "";
}
