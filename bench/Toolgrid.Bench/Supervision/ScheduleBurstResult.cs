using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Supervision;

/// <summary>Scheduled jobs all due on one minute.</summary>
/// <param name="Schedules">Scheduled jobs.</param>
/// <param name="Tools">Tools they were spread over.</param>
/// <param name="DueAt">The minute they were all due.</param>
/// <param name="SubmitSeconds">Creating the scheduled jobs.</param>
/// <param name="StartLatenessMs">Each run's <c>startedAt − dueAt</c>.</param>
/// <param name="QueueLatenessMs">Each run's <c>submittedAt − dueAt</c> (when the controller queued it).</param>
/// <param name="LastStartSeconds">The due minute → the last run's <c>startedAt</c>.</param>
/// <param name="BurstSeconds">From a second before the due minute until every run had ended.</param>
/// <param name="ServerCpuSeconds">toolgridd's CPU (with its reaped launchers) over the burst.</param>
/// <param name="PlatformCpuSeconds">The platform's CPU (toolgridd, launchers, shepherds, commands) over the burst, where cpuacct is mounted.</param>
/// <param name="IdleCpuPerSecond">toolgridd's CPU per second with the schedules pending, before the burst.</param>
/// <param name="Problems">Jobs that did not run exactly once and succeed (empty when none).</param>
internal sealed record ScheduleBurstResult(
    int Schedules,
    int Tools,
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
