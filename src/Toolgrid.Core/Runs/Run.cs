using Toolgrid.Contracts.Runs;

namespace Toolgrid.Core.Runs;

/// <summary>One attempt of a job on a node.</summary>
/// <remarks>
/// The resources and command a run was started with are copied from its job when the run is
/// created, so that a later change to the job never rewrites what a past run was.
/// </remarks>
public sealed class Run
{
    /// <summary>The longest <see cref="ListensOutside"/> kept.</summary>
    public const int MaxListensOutside = 256;

    public long Id { get; set; }

    public long JobId { get; set; }

    public required string ToolName { get; set; }

    public required string JobName { get; set; }

    /// <summary>1 for the first attempt, 2 for the first retry…</summary>
    public int Attempt { get; set; } = 1;

    public RunState State { get; set; }

    public RunReason Reason { get; set; }

    /// <summary>Detail on <see cref="Reason"/>, in words (e.g. "exit code 3", the backend's error).</summary>
    public string? Message { get; set; }

    public int? ExitCode { get; set; }

    public int? Signal { get; set; }

    public string? Node { get; set; }

    /// <summary>The queue its job asks for.</summary>
    public string Queue { get; set; } = Jobs.Queues.Default;

    /// <summary>
    /// The queue it was launched in: <see cref="Queue"/>, or <c>default</c> when no node of that
    /// queue could take work when it was placed. Null until it is placed.
    /// </summary>
    public string? LaunchQueue { get; set; }

    public required string Command { get; set; }

    public long MemoryBytes { get; set; }

    public int CpuMillis { get; set; }

    public int? Pid { get; set; }

    /// <summary>The generation of its job it was started with; runs of an older one are replaced.</summary>
    public int Generation { get; set; } = 1;

    /// <summary>The port the run was given in <c>$PORT</c> on its node, when its job uses one.</summary>
    public int? Port { get; set; }

    /// <summary>Whether its health check passes: null before the first check (or when it has none).</summary>
    public bool? Healthy { get; set; }

    /// <summary>
    /// The addresses other than loopback (and the node's own listen address) on which the run
    /// listens on its port, e.g. <c>0.0.0.0:8123</c>: it can be reached around the proxy. Null when
    /// it listens only where it was told to (<c>$HOST</c>), or when that is not known.
    /// </summary>
    public string? ListensOutside { get; set; }

    /// <summary>When it became ready: its startup check passed (or it started, when it has no check).</summary>
    public DateTimeOffset? ReadyAt { get; set; }

    /// <summary>Scheduled runs: the due time it is for.</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>
    /// A run started ahead of its due time (a scheduled run, up to the lead time before it): it is
    /// placed and set up early, and its command is held until this instant. Null for a run whose
    /// command starts as soon as it is set up.
    /// </summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>How long it may take before it is stopped as timed out; null for no limit.</summary>
    public int? TimeoutSeconds { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>When the platform asked the run to stop, and why; the exit that follows is recorded with this reason.</summary>
    public DateTimeOffset? StopRequestedAt { get; set; }

    public RunReason? StopReason { get; set; }

    /// <summary>Optimistic concurrency: bumped on every change.</summary>
    public int Version { get; set; }

    public bool IsTerminal => State.IsTerminal();

    public bool IsActive => !IsTerminal;

    /// <summary>
    /// A run started ahead of its due time whose command has not started: queued, or set up and
    /// held until <see cref="NotBefore"/> (or just let go, its start not yet reported).
    /// </summary>
    public bool IsHeld => NotBefore is not null && State is RunState.Queued or RunState.Starting;
}
