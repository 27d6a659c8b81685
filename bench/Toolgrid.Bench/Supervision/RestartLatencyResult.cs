using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Supervision;

/// <summary>First restarts of continuous jobs.</summary>
/// <param name="ExitToStartMs">The first run's <c>finishedAt</c> → the second run's <c>startedAt</c>.</param>
/// <param name="ExitToQueuedMs">The first run's <c>finishedAt</c> → the second run's <c>submittedAt</c> (the controller queued it).</param>
/// <param name="DeleteSeconds">Deleting the jobs (their second runs sleep) until no run is active.</param>
internal sealed record RestartLatencyResult(Distribution ExitToStartMs, Distribution ExitToQueuedMs, double DeleteSeconds);
