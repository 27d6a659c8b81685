using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Shepherd;

/// <summary>The shepherd alone: isolated launches (with their split at startedAt), launches back to back, and one traced launch.</summary>
internal sealed record ShepherdProbeResult(Distribution IsolatedMs, Distribution IsolatedSetupMs, Distribution IsolatedAfterStartMs, Distribution BurstMs, ShepherdTrace? Trace);
