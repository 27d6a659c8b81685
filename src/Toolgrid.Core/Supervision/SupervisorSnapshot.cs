using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Scheduling;

namespace Toolgrid.Core.Supervision;

/// <summary>What the supervisor decides from: desired state (jobs) and what was seen (runs, nodes).</summary>
/// <param name="Jobs">Every job that may need a step: live jobs with their latest run, and deleted jobs.</param>
/// <param name="ActiveRuns">Every queued, starting or running run.</param>
/// <param name="Nodes">The nodes and what they can hold.</param>
/// <param name="TimeZone">The site's time zone, for schedules that name none.</param>
/// <param name="Schedules">How late a due time may be handled, and the catch-up window.</param>
/// <param name="EnginePlaces">
/// Whether the backend's engine places runs (<see cref="IBackend.PlacesRuns"/>): each wanted
/// queued run is then handed over with no node, whatever <paramref name="Nodes"/> says.
/// </param>
public sealed record SupervisorSnapshot(
    IReadOnlyList<JobSummary> Jobs,
    IReadOnlyList<Run> ActiveRuns,
    IReadOnlyList<NodeCapacity> Nodes,
    string TimeZone = "UTC",
    ScheduleSettings? Schedules = null,
    bool EnginePlaces = false)
{
    /// <summary>
    /// The earliest <see cref="Job.NextDueAt"/> of the scheduled jobs left out of <see cref="Jobs"/>
    /// because none of them is due yet; null when every scheduled job is in <see cref="Jobs"/>.
    /// </summary>
    public DateTimeOffset? NextDueAt { get; init; }

    /// <summary>The nodes an admin drained, and those whose drain in the engine is still to be undone.</summary>
    public IReadOnlyList<NodeDrain> Drains { get; init; } = [];
}

/// <summary>A job and what the supervisor needs to know of its runs.</summary>
/// <param name="Job">The job.</param>
/// <param name="ToolDisabled">Whether its tool was deleted.</param>
/// <param name="LatestRun">Its newest run, if it has any.</param>
/// <param name="Schedule">
/// A scheduled job's schedule as read by whoever made the snapshot (who may keep it from one
/// snapshot to the next); null when not read, and the supervisor reads it.
/// </param>
public sealed record JobSummary(Job Job, bool ToolDisabled, Run? LatestRun, CronSchedule? Schedule = null);
