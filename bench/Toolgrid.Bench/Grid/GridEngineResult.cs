using Toolgrid.Bench.Scenarios;

namespace Toolgrid.Bench.Grid;

/// <summary>What the bench measured on one engine: Toolgrid on it and the engine alone, interleaved.</summary>
internal sealed class GridEngineResult
{
    public required string Engine { get; init; }

    /// <summary>Toolgrid: a new <c>toolgrid jobs run</c> process per submit → the command's own clock.</summary>
    public List<CliSample> Toolgrid { get; } = [];

    /// <summary>The engine alone: a new <c>qsub</c>/<c>sbatch</c> process per submit → the script's own clock.</summary>
    public List<CliSample> Raw { get; } = [];

    /// <summary>Observation lag: a run's start and end by its own clock → the store says so.</summary>
    public List<LagSample> Lag { get; } = [];

    /// <summary>A continuous job's node killed: when its run was ended and a new one ran elsewhere.</summary>
    public NodeLossSample? NodeLoss { get; set; }

    public ThroughputResult? ToolgridThroughput { get; set; }

    public RawThroughput? RawThroughput { get; set; }

    /// <summary>toolgridd's resident memory at the end, in bytes.</summary>
    public long ServerRssBytes { get; set; }
}
