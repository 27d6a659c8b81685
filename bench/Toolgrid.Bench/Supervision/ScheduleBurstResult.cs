using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Supervision;

/// <summary>Scheduled jobs all due on one minute.</summary>
/// <param name="Schedules">Scheduled jobs.</param>
/// <param name="Tools">Tools they were spread over.</param>
/// <param name="LeadTime">
/// The lead time toolgridd ran under (<c>Toolgrid:Controller:ScheduleLeadTime</c>): runs queued,
/// placed and launched that long before their due time, their command held until it; zero: queued
/// at the due time.
/// </param>
/// <param name="DueAt">The minute they were all due.</param>
/// <param name="SubmitSeconds">Creating the scheduled jobs.</param>
/// <param name="StartLatenessMs">Each run's <c>startedAt − dueAt</c>.</param>
/// <param name="QueueLatenessMs">Each run's <c>submittedAt − dueAt</c> (when the controller queued it): negative for runs queued ahead of their due time.</param>
/// <param name="LastStartSeconds">The due minute → the last run's <c>startedAt</c>.</param>
/// <param name="BurstSeconds">
/// The burst: from a second before the runs were staged (<c>due − lead − 1 s</c>; with no lead, a
/// second before the due minute) until every run had ended; it takes in the held runs' wait.
/// </param>
/// <param name="ServerCpuSeconds">toolgridd's CPU (with its reaped launchers) over the burst (from <c>due − lead − 1 s</c> until every run had ended).</param>
/// <param name="PlatformCpuSeconds">The platform's CPU (toolgridd, launchers, shepherds, commands) over the burst, where cpuacct is mounted.</param>
/// <param name="IdleCpuPerSecond">toolgridd's CPU per second with the schedules pending, in a window that ended at least a second before anything was staged.</param>
/// <param name="Problems">Jobs that did not run exactly once and succeed (empty when none).</param>
internal sealed record ScheduleBurstResult(
    int Schedules,
    int Tools,
    TimeSpan LeadTime,
    DateTimeOffset DueAt,
    double SubmitSeconds,
    Distribution StartLatenessMs,
    Distribution QueueLatenessMs,
    double LastStartSeconds,
    double BurstSeconds,
    double ServerCpuSeconds,
    double? PlatformCpuSeconds,
    double IdleCpuPerSecond,
    IReadOnlyList<string> Problems);
