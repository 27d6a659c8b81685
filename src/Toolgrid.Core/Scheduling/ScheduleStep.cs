using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Scheduling;

/// <summary>One step the scheduler wants taken for a scheduled job; see <see cref="ScheduleRules.Decide"/>.</summary>
public abstract record ScheduleStep;

/// <summary>Queue a run for the due time <paramref name="DueAt"/>.</summary>
/// <param name="DueAt">The due time the run is for (it becomes <see cref="Run.DueAt"/>).</param>
/// <param name="Reason"><see cref="RunReason.Scheduled"/> for a run on time, <see cref="RunReason.CaughtUp"/> for a late one (catch-up once).</param>
public sealed record StartDue(DateTimeOffset DueAt, RunReason Reason) : ScheduleStep;

/// <summary>Record the due time <paramref name="DueAt"/> as a run that was not started (<see cref="RunState.Skipped"/>).</summary>
/// <param name="DueAt">The due time that is not run.</param>
/// <param name="Reason"><see cref="RunReason.Overlap"/> (concurrency forbid) or <see cref="RunReason.Missed"/> (it fell due while the controller was down).</param>
/// <param name="Message">What happened, in words, for <c>jobs show</c> and mail.</param>
public sealed record SkipDue(DateTimeOffset DueAt, RunReason Reason, string Message) : ScheduleStep;

/// <summary>Ask the active run <paramref name="RunId"/> to stop with <see cref="RunReason.Replaced"/> (concurrency replace); comes before the <see cref="StartDue"/> that replaces it.</summary>
public sealed record ReplaceRun(long RunId) : ScheduleStep;
