using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Scenarios;

/// <summary>
/// The controller's passes, as seen from the launches in toolgridd's log: a pass places a batch of
/// queued runs and launches them in parallel, and the next pass begins only when every launch of
/// this one has returned.
/// </summary>
/// <param name="Count">Passes that launched something.</param>
/// <param name="BatchSize">Runs launched per pass.</param>
/// <param name="LaunchPhaseMs">First launch begun → last launch returned, per pass.</param>
/// <param name="BetweenMs">Last launch of a pass returned → first launch of the next begun: the next snapshot, Decide, the placing UPDATE and its commit, StartAsync's reads and the run files.</param>
internal sealed record PassStats(int Count, Distribution BatchSize, Distribution LaunchPhaseMs, Distribution BetweenMs);
