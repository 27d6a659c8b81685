namespace Toolgrid.Core.Backends;

/// <summary>What a backend reports about one run. Reports may repeat; applying one twice changes nothing.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Node">The node it is on; null for a run that never got one (e.g. deleted while an engine held it pending).</param>
/// <param name="Phase">Running, exited or lost.</param>
/// <param name="Pid">The process id of the run's command, where known.</param>
/// <param name="StartedAt">When the command was started.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="ExitCode">Its exit code, when it exited.</param>
/// <param name="Signal">The signal that ended it, when one did.</param>
/// <param name="OutOfMemory">Whether the kernel killed it for going over its memory limit.</param>
/// <param name="TimedOut">Whether it was stopped for running past its timeout.</param>
/// <param name="StartFailed">Whether it never started (the message says why).</param>
/// <param name="Message">Detail in words, e.g. the error that prevented the start.</param>
/// <param name="Healthy">The latest health check's verdict, for a run that has one: true once it passed, false when it fails.</param>
/// <param name="HealthMessage">What the failing health check said.</param>
/// <param name="NodeLost">For a lost run: it was lost because its node stopped answering (the message names the node).</param>
/// <param name="RemovedOutside">For an ended run: someone removed it with the engine's own command (<c>qdel</c>, <c>scancel</c>) outside Toolgrid, not a stop of Toolgrid's.</param>
/// <param name="ListensOutside">
/// For a run with a port: the addresses other than loopback (and the node's listen address) it
/// listens on there, e.g. <c>0.0.0.0:8123</c>; empty when it listens on none; null when not looked at.
/// </param>
public sealed record BackendRunReport(
    long RunId,
    string? Node,
    BackendRunPhase Phase,
    int? Pid = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    int? ExitCode = null,
    int? Signal = null,
    bool OutOfMemory = false,
    bool TimedOut = false,
    bool StartFailed = false,
    string? Message = null,
    bool? Healthy = null,
    string? HealthMessage = null,
    string? ListensOutside = null,
    bool NodeLost = false,
    bool RemovedOutside = false);
