using Toolgrid.Bench.Floor;
using Toolgrid.Bench.Machine;

namespace Toolgrid.Bench.Supervision;

/// <summary>What the supervision suite measured.</summary>
internal sealed class SupervisionResults
{
    public DateTimeOffset Date { get; init; }

    public required MachineInfo Machine { get; init; }

    public required BenchOptions Options { get; init; }

    public TimeSpan Elapsed { get; set; }

    public SpawnRate? Floor { get; set; }

    public RestartLatencyResult? Restart { get; set; }

    public ContinuousFleetResult? Fleet { get; set; }

    public ScheduleBurstResult? Schedules { get; set; }
}
