using Toolgrid.Bench.Cgroups;
using Toolgrid.Bench.Floor;
using Toolgrid.Bench.Machine;
using Toolgrid.Bench.Scenarios;
using Toolgrid.Bench.Shepherd;
using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Report;

/// <summary>Everything one benchmark run measured.</summary>
internal sealed class BenchResults
{
    public required DateTimeOffset Date { get; init; }

    public required MachineInfo Machine { get; init; }

    public required BenchOptions Options { get; init; }

    public List<SpawnRate> Floor { get; } = [];

    public Distribution FsyncAppendMs { get; set; } = Distribution.Empty;

    public Distribution FsyncRecordMs { get; set; } = Distribution.Empty;

    public Distribution DateOffsetMs { get; set; } = Distribution.Empty;

    public CgroupProbeResult? Cgroups { get; set; }

    public ShepherdProbeResult? Shepherd { get; set; }

    public List<LatencySample> Latency { get; set; } = [];

    public List<LatencySample> Exec { get; set; } = [];

    /// <summary>Submits through a new CLI process each, to the command's own clock.</summary>
    public List<CliSample> Cli { get; set; } = [];

    public CgroupProbeResult? FavorDynModsCgroups { get; set; }

    public List<LatencySample> FavorDynModsLatency { get; set; } = [];

    public string? FavorDynModsError { get; set; }

    public ThroughputResult? Throughput { get; set; }

    /// <summary>The first jobs after toolgridd started (cold: JIT compilation and tiering still under way).</summary>
    public ThroughputResult? WarmUp { get; set; }

    public MemoryResult? Memory { get; set; }

    /// <summary>A fresh toolgridd, every role, no jobs, left alone.</summary>
    public AtRestResult? AtRest { get; set; }

    /// <summary>A further throughput round, under perf.</summary>
    public ThroughputResult? Profiled { get; set; }

    public Server.CpuProfile? CpuProfile { get; set; }

    public Trace? Trace { get; set; }

    public TimeSpan Elapsed { get; set; }

    /// <summary>The best fork+exec rate of the floor (all cores at once).</summary>
    public double FloorPerSecond => Floor.Where(f => f.How.StartsWith("posix_spawn", StringComparison.Ordinal)).Select(f => f.PerSecond).DefaultIfEmpty(double.NaN).Max();
}
