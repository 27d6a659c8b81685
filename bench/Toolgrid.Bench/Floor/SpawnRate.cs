using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Floor;

/// <summary>Starts per second, and the latency of each start (spawn to reaped), for one way of starting processes.</summary>
internal sealed record SpawnRate(string How, double PerSecond, Distribution LatencyMs);
