using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;

namespace Toolgrid.Core.Runs;

/// <summary>
/// The lifecycle of a run, in one place: every change of <see cref="Run.State"/> goes through
/// here, with its reason. Each method returns whether the run changed; a change bumps
/// <see cref="Run.Version"/>, which the store uses for optimistic concurrency.
/// </summary>
/// <remarks>
/// Terminal states are final: a report about a run that has already ended changes nothing.
/// That, together with the store's concurrency check, is what records each exit exactly once,
/// however often a backend repeats a report or a controller restarts.
/// </remarks>
public static class RunTransitions
{
    /// <summary>
    /// Queued → starting: placed on <paramref name="node"/>, serving on <paramref name="port"/> when
    /// it has one; with no node, handed to an engine that places it (its node comes with the report that it runs).
    /// It is launched in <paramref name="queue"/> (its own queue when null).
    /// </summary>
    public static bool Place(Run run, string? node, DateTimeOffset now, int? port = null, string? queue = null)
    {
        if (run.State != RunState.Queued)
        {
            return false;
        }

        run.Node = node;
        run.Port = port;
        run.LaunchQueue = queue ?? run.Queue;
        return Move(run, RunState.Starting, RunReason.Placed, null, now);
    }

    /// <summary>Applies what a backend saw.</summary>
    public static bool Observe(Run run, BackendRunReport report, DateTimeOffset now)
    {
        // Held until its due time: still starting, nothing to record.
        if (run.IsTerminal || run.State == RunState.Queued || report.Phase == BackendRunPhase.Waiting)
        {
            return false;
        }

        run.Node ??= report.Node;
        if (report.Pid is { } pid)
        {
            run.Pid = pid;
        }

        if (report.StartedAt is { } startedAt)
        {
            run.StartedAt ??= startedAt;
        }

        switch (report.Phase)
        {
            case BackendRunPhase.Running:
                var started = run.State == RunState.Starting && Move(run, RunState.Running, RunReason.Started, null, now);
                return ObserveHealth(run, report, now) | ObserveListening(run, report) | started;

            case BackendRunPhase.Lost:
                return report.NodeLost
                    ? Move(run, RunState.Lost, RunReason.NodeLost, report.Message ?? $"its node {report.Node ?? run.Node} stopped answering; how the run ended is unknown", report.FinishedAt ?? now)
                    : Move(run, RunState.Lost, RunReason.ShepherdLost, report.Message ?? "the run's shepherd is gone; how the run ended is unknown", report.FinishedAt ?? now);

            case BackendRunPhase.Exited:
                run.ExitCode = report.ExitCode;
                run.Signal = report.Signal;
                var (state, reason, message) = Outcome(run, report);
                return Move(run, state, reason, message, report.FinishedAt ?? now);

            default:
                throw new ArgumentOutOfRangeException(nameof(report), report.Phase, "unknown phase");
        }
    }

    /// <summary>
    /// Asks for an active run to stop. A queued run is killed at once (it never started);
    /// a starting or running one keeps its state until its exit is reported, which is then
    /// recorded with <paramref name="reason"/>. Asking again records when it was last asked,
    /// which is what spaces out the supervisor's repeated requests.
    /// </summary>
    public static bool RequestStop(Run run, RunReason reason, DateTimeOffset now)
    {
        if (run.IsTerminal)
        {
            return false;
        }

        if (run.State == RunState.Queued)
        {
            return reason == RunReason.Overlap
                ? Move(run, RunState.Skipped, reason, OverlapSkipped, now)
                : Move(run, RunState.Killed, reason, "stopped before it started", now);
        }

        if (run.StopRequestedAt == now && run.StopReason == reason)
        {
            return false;
        }

        run.StopRequestedAt = now;
        run.StopReason = reason;
        return true;
    }

    /// <summary>Starting → killed: a placed run that no backend ever started is no longer wanted.</summary>
    public static bool AbandonStart(Run run, RunReason reason, DateTimeOffset now) =>
        run.State == RunState.Starting && Move(run, RunState.Killed, reason, "stopped before it started", now);

    /// <summary>
    /// Starting → starting (<see cref="RunReason.StartDeferred"/>): the backend cannot start the run
    /// yet, for a reason that passes; <paramref name="message"/> says why and when it is tried again.
    /// </summary>
    public static bool DeferStart(Run run, string message, DateTimeOffset now) =>
        run.State == RunState.Starting && (run.Reason != RunReason.StartDeferred || run.Message != message)
        && Move(run, RunState.Starting, RunReason.StartDeferred, message, now);

    /// <summary>Starting → failed: the backend refused or could not start the run.</summary>
    public static bool FailStart(Run run, string message, DateTimeOffset now) =>
        run.State == RunState.Starting && Move(run, RunState.Failed, RunReason.StartFailed, message, now);

    /// <summary>Starting or running → lost, for a reason found by reconciling the store with the backend.</summary>
    public static bool MarkLost(Run run, RunReason reason, string message, DateTimeOffset now) =>
        !run.IsTerminal && run.State != RunState.Queued && Move(run, RunState.Lost, reason, message, now);

    /// <summary>Queued → skipped: a scheduled run that is not to be started.</summary>
    public static bool Skip(Run run, RunReason reason, string message, DateTimeOffset now) =>
        run.State == RunState.Queued && Move(run, RunState.Skipped, reason, message, now);

    /// <summary>Records a health verdict; the first pass makes the run ready. Returns whether anything changed.</summary>
    private static bool ObserveHealth(Run run, BackendRunReport report, DateTimeOffset now)
    {
        if (report.Healthy is not { } healthy || (run.Healthy == healthy && (!healthy || run.ReadyAt is not null)))
        {
            return false;
        }

        run.Healthy = healthy;
        if (healthy)
        {
            run.ReadyAt ??= now;
        }

        return true;
    }

    /// <summary>Records where the run listens outside loopback, when the report says (empty: nowhere).</summary>
    private static bool ObserveListening(Run run, BackendRunReport report)
    {
        if (report.ListensOutside is not { } seen)
        {
            return false;
        }

        var outside = seen.Length == 0 ? null : seen.Length > Run.MaxListensOutside ? seen[..Run.MaxListensOutside] : seen;
        if (run.ListensOutside == outside)
        {
            return false;
        }

        run.ListensOutside = outside;
        return true;
    }

    private static (RunState State, RunReason Reason, string? Message) Outcome(Run run, BackendRunReport report)
    {
        if (report.StartFailed)
        {
            return (RunState.Failed, RunReason.StartFailed, report.Message ?? "the run could not be started");
        }

        if (report.OutOfMemory)
        {
            return (RunState.Failed, RunReason.OutOfMemory, $"went over its memory limit of {Contracts.Jobs.MemorySize.Format(run.MemoryBytes)} and was killed");
        }

        if (report.TimedOut)
        {
            return (RunState.Failed, RunReason.TimedOut, report.Message ?? "ran past its timeout and was stopped");
        }

        if (run.StopReason is RunReason.Unhealthy)
        {
            return (RunState.Failed, RunReason.Unhealthy, $"failed its health check and was stopped ({Describe(report)})");
        }

        if (run.StopReason is RunReason.TimedOut)
        {
            return (RunState.Failed, RunReason.TimedOut, $"ran past its timeout and was stopped ({Describe(report)})");
        }

        if (run.StopReason is RunReason.Overlap && report.StartedAt is null)
        {
            // A run held for its due time, not started because one started by hand took its place.
            return (RunState.Skipped, RunReason.Overlap, OverlapSkipped);
        }

        if (run.StopReason is { } stopReason)
        {
            return (RunState.Killed, stopReason, Describe(report));
        }

        if (report.RemovedOutside)
        {
            return (RunState.Killed, RunReason.RemovedOutside, report.Message ?? $"removed outside Toolgrid ({Describe(report)})");
        }

        if (report.Signal is not null)
        {
            return (RunState.Failed, RunReason.Signaled, Describe(report));
        }

        return report.ExitCode == 0
            ? (RunState.Succeeded, RunReason.Exited, "exit code 0")
            : (RunState.Failed, RunReason.Exited, Describe(report));
    }

    private static string Describe(BackendRunReport report) =>
        report.Signal is { } signal ? $"killed by signal {signal} ({Signals.Name(signal)})" : $"exit code {report.ExitCode}";

    private const string OverlapSkipped = "skipped: a run started by hand took the place of this due time's run (concurrency forbid)";

    private static bool Move(Run run, RunState state, RunReason reason, string? message, DateTimeOffset at)
    {
        run.State = state;
        run.Reason = reason;
        run.Message = message;
        if (state == RunState.Running)
        {
            run.StartedAt ??= at;
        }

        if (state.IsTerminal())
        {
            run.FinishedAt = at;
        }

        return true;
    }
}
