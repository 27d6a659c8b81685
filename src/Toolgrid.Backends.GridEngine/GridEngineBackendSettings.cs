namespace Toolgrid.Backends.GridEngine;

/// <summary>What the Grid Engine backend needs besides its client.</summary>
/// <param name="StateDirectory">A root-only directory on the login host that survives a restart: one record per submitted run.</param>
/// <param name="Queue">The cluster queue runs are submitted to.</param>
/// <param name="PollInterval">Time between two reads of the engine in <see cref="GridEngineBackend.WatchAsync"/>.</param>
/// <param name="AccountingWait">
/// How long a job may be gone from qstat without an accounting record before its run is taken
/// for lost (or, if it was stopped, for stopped before it started): the record of a job that
/// just ended may be read after it left qstat.
/// </param>
public sealed record GridEngineBackendSettings(string StateDirectory, string Queue, TimeSpan PollInterval, TimeSpan AccountingWait);
