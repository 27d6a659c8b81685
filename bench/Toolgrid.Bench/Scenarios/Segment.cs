using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Scenarios;

/// <summary>One stretch of the way from submit to start: its name, what happens in it, and how long it took per sample.</summary>
internal sealed record Segment(string Name, string What, Distribution Ms);
