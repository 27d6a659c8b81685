namespace Toolgrid.Backends.GridEngine;

/// <summary>What the Grid Engine backend needs besides its client.</summary>
/// <param name="StateDirectory">A root-only directory on the login host that survives a restart: one record per submitted run.</param>
/// <param name="DefaultQueue">The cluster queue of Toolgrid's <c>default</c> queue; a run of any other queue goes to the cluster queue of its name.</param>
/// <param name="PollInterval">Time between two reads of the engine in <see cref="GridEngineBackend.WatchAsync"/>.</param>
/// <param name="AccountingWait">
/// How long a job may be gone from qstat without an accounting record before its run is taken
/// for lost (or, if it was stopped, for stopped before it started): the record of a job that
/// just ended may be read after it left qstat.
/// </param>
/// <param name="NodeLostAfter">How long a run's node may be unknown to the qmaster, or its execd silent, before the run is recorded lost and its job deleted.</param>
/// <param name="ExecdProbePort">The execds' port, probed behind each read (<see cref="ExecdProbe"/>); null for no probe (a node is lost only once the qmaster says it is unknown).</param>
public sealed record GridEngineBackendSettings(string StateDirectory, string DefaultQueue, TimeSpan PollInterval, TimeSpan AccountingWait, TimeSpan NodeLostAfter, int? ExecdProbePort = null);
