using Toolgrid.Contracts.Runs;

namespace Toolgrid.Core.Supervision;

/// <summary>One small, idempotent step the supervisor wants taken.</summary>
public abstract record SupervisorAction;

/// <summary>
/// Place a queued run on a node (with the port it serves on, when its job has one) and start it
/// there; with no node, hand it to the backend's engine, which places it in <paramref name="Queue"/>.
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="Node">The node chosen, or null for an engine that places runs.</param>
/// <param name="Port">The port it serves on, when its job has one.</param>
/// <param name="Queue">The queue it is launched in when that is not its own (<c>default</c>, see <see cref="Jobs.QueueChoice"/>); null for its own.</param>
public sealed record PlaceRun(long RunId, string? Node, int? Port = null, string? Queue = null) : SupervisorAction;

/// <summary>Ask a run to stop (SIGTERM, then SIGKILL after the grace period).</summary>
public sealed record StopRun(long RunId, RunReason Reason, TimeSpan GracePeriod) : SupervisorAction;

/// <summary>Queue a new attempt of a job whose last attempt failed.</summary>
public sealed record RetryJob(long JobId, int Attempt) : SupervisorAction;

/// <summary>Queue a new run of a job: a continuous job's replica, a one-off job's rerun.</summary>
public sealed record QueueRun(long JobId, RunReason Reason) : SupervisorAction;

/// <summary>Remove a deleted job whose runs have all ended.</summary>
public sealed record PurgeJob(long JobId) : SupervisorAction;

/// <summary>
/// A scheduled job's due times were handled: record the new <paramref name="LastDueAt"/>, the
/// <paramref name="NextDueAt"/> that follows it, and the steps (runs to start, due times skipped,
/// runs replaced), all in one transaction that checks the job's <paramref name="JobVersion"/>, so
/// that each due time is handled exactly once. With no due time handled and no step, it only
/// records the job's next due time, which was not known (or stale) in the store.
/// </summary>
public sealed record AdvanceSchedule(long JobId, int JobVersion, DateTimeOffset? LastDueAt, IReadOnlyList<Scheduling.ScheduleStep> Steps, DateTimeOffset? NextDueAt = null) : SupervisorAction;

/// <summary>Drain a node in the backend (its engine's own drain), as an admin asked.</summary>
public sealed record DrainNode(string Node, string Reason) : SupervisorAction;

/// <summary>Undo the backend's drain of a node, whose drain an admin lifted.</summary>
public sealed record ResumeNode(string Node) : SupervisorAction;
