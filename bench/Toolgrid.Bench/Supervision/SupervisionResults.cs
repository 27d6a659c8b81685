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

    /// <summary>The schedules under toolgridd's default lead time: runs started ahead of their due time, held until it.</summary>
    public ScheduleBurstResult? Schedules { get; set; }

    /// <summary>The same schedules with no lead time (<c>ScheduleLeadTime=00:00:00</c>, toolgridd restarted): runs queued at their due time.</summary>
    public ScheduleBurstResult? SchedulesAtDue { get; set; }

    /// <summary>The node's slots toolgridd ran with (<c>Toolgrid:Local:Slots</c>), raised so that every held run fits at once.</summary>
    public int NodeSlots { get; set; }
}
