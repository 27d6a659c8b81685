namespace Toolgrid.Bench.Scale;

/// <summary>What the seed wrote, and how long it took.</summary>
internal sealed record ScaleSeedResult(int Tools, int Jobs, long Runs, TimeSpan Elapsed);
