namespace Toolgrid.Backends.Local.Protocol;

/// <summary>
/// The run file's waiting record: written by the shepherd of a run started ahead of its due time
/// (the spec's <c>not_before_ns</c>) once the run is set up and held, before its wait. Not
/// durable: it only says whom to signal to stop the run before its command ran.
/// </summary>
/// <param name="Pid">The job process, waiting for the go (it has not exec'd the command).</param>
/// <param name="NotBefore">When the command is let go.</param>
/// <param name="ShepherdPid">The shepherd's process id.</param>
/// <param name="ShepherdStartTime">The shepherd's start time in clock ticks since boot (field 22 of /proc/PID/stat).</param>
/// <param name="CgroupDirectories">The run's cgroup directories.</param>
/// <param name="PrivateTmp">The host directories that hold the run's private /tmp and /var/tmp.</param>
internal sealed record WaitingRecord(int? Pid, DateTimeOffset? NotBefore, int ShepherdPid, long ShepherdStartTime, IReadOnlyList<string> CgroupDirectories, IReadOnlyList<string> PrivateTmp)
{
    public static WaitingRecord? FromValues(ILookup<string, string> values)
    {
        if (values.Int("shepherd_pid") is not { } shepherdPid || values.Long("shepherd_start_time") is not { } startTime)
        {
            return null;
        }

        return new WaitingRecord(
            values.Int("pid") is { } pid and > 0 ? pid : null,
            values.Time("not_before_ns"),
            shepherdPid,
            startTime,
            values["cgroup_dir"].Where(dir => dir.Length > 0).ToList(),
            values["private_tmp"].Where(dir => dir.Length > 0).ToList());
    }
}
