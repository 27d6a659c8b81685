namespace Toolgrid.Core.Backends;

/// <summary>What runs runs on nodes: the local backend, Grid Engine or Slurm.</summary>
/// <remarks>
/// A backend never touches the store. The controller records every step in the store before it
/// asks the backend for it, and records what the backend reports. Starting is idempotent by run
/// id, which is what lets a replacement controller carry on without starting anything twice.
/// </remarks>
public interface IBackend
{
    /// <summary>The backend's name: <c>local</c>, <c>gridengine</c>, <c>slurm</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Whether the backend's engine places runs itself (a grid engine): the controller then
    /// chooses no node and launches each run with its queue only (<see cref="RunLaunch.Node"/>
    /// null); the report of a running run says where the engine put it.
    /// </summary>
    bool PlacesRuns { get; }

    /// <summary>The nodes and what they can hold.</summary>
    Task<IReadOnlyList<NodeCapacity>> GetNodesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Drains a node: it keeps its runs and takes no new ones, with the engine's own drain where
    /// there is an engine (so that the engine stops placing there too). Draining a drained node
    /// again is harmless. A node the backend does not know is an <see cref="ArgumentException"/>.
    /// </summary>
    Task DrainAsync(string node, string reason, CancellationToken cancellationToken);

    /// <summary>Undoes <see cref="DrainAsync"/>: the node takes new runs again. Harmless on a node that is not drained.</summary>
    Task ResumeAsync(string node, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a run. Returns once the backend has taken it (its process runs, or it failed to
    /// start, which a report then says). A run id the backend already knows is not started again.
    /// </summary>
    Task StartAsync(RunLaunch launch, CancellationToken cancellationToken);

    /// <summary>
    /// Stops a run: SIGTERM to its processes, then after <paramref name="gracePeriod"/> SIGKILL to
    /// all of them. Returns once the stop is under way; the exit comes as a report.
    /// </summary>
    Task StopAsync(long runId, TimeSpan gracePeriod, CancellationToken cancellationToken);

    /// <summary>Every run the backend knows now: waiting (held or pending), running, or ended and not yet forgotten.</summary>
    Task<IReadOnlyList<BackendRunReport>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The end of this run is recorded: the backend may drop what it kept of it.</summary>
    Task ForgetAsync(long runId, CancellationToken cancellationToken);

    /// <summary>
    /// Reports as they happen (started, exited, lost). Best effort and prompt; the controller
    /// also calls <see cref="ListAsync"/> to catch up after a restart or a missed report.
    /// </summary>
    IAsyncEnumerable<BackendRunReport> WatchAsync(CancellationToken cancellationToken);
}
