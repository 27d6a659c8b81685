using Toolgrid.Bench.Machine;

namespace Toolgrid.Bench.Grid;

/// <summary>Everything one <c>--grid</c> run measured.</summary>
internal sealed class GridResults
{
    public required DateTimeOffset Date { get; init; }

    public required MachineInfo Machine { get; init; }

    public required BenchOptions Options { get; init; }

    public List<GridEngineResult> Engines { get; } = [];

    public TimeSpan Elapsed { get; set; }
}
