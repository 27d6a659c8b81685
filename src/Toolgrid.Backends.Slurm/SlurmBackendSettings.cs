namespace Toolgrid.Backends.Slurm;

/// <summary>What the Slurm backend needs besides its client.</summary>
/// <param name="StateDirectory">A root-only directory on the login host that survives a restart: one record per submitted run.</param>
/// <param name="DefaultPartition">The partition of Toolgrid's <c>default</c> queue; a run of any other queue goes to the partition of its name.</param>
/// <param name="PollInterval">Time between two reads of the engine in <see cref="SlurmBackend.WatchAsync"/>.</param>
/// <param name="MissingWait">
/// How long a job of a run may be missing from squeue before the run is taken for lost: squeue
/// keeps an ended job for <c>MinJobAge</c>, so a job is missing only when it ended longer ago than
/// that without this backend seeing it end (or slurmctld lost it).
/// </param>
public sealed record SlurmBackendSettings(string StateDirectory, string DefaultPartition, TimeSpan PollInterval, TimeSpan MissingWait);
