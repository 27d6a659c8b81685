namespace Toolgrid.Bench.Shepherd;

/// <summary>One launch of the shepherd alone: spawn to launcher exit, split at the shepherd's startedAt.</summary>
/// <param name="LaunchMs">posix_spawn of the launcher to its exit (the command runs by then).</param>
/// <param name="SetupMs">posix_spawn to startedAt: launcher, lock, spec, fork of the shepherd, its cgroups and limits.</param>
/// <param name="AfterStartMs">startedAt to the launcher's exit: the job's fork, cgroup joins, user switch, the durable started record, the exec, the report.</param>
internal sealed record ShepherdLaunch(double LaunchMs, double SetupMs, double AfterStartMs);
