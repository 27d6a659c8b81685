namespace Toolgrid.Backends.Local.Protocol;

/// <summary>The run file's started record (or a run directory's <c>started</c> file, protocol 1): written by the shepherd, durably, before the command is exec'd.</summary>
/// <param name="Pid">The command's process id (its session and process group id too).</param>
/// <param name="StartedAt">When it was forked; for a run held until its due time, when its command was let go.</param>
/// <param name="ShepherdPid">The shepherd's process id.</param>
/// <param name="ShepherdStartTime">The shepherd's start time in clock ticks since boot (field 22 of /proc/PID/stat).</param>
/// <param name="Cgroups">The cgroup version the run got: <c>v1</c>, <c>v2</c> or <c>none</c>.</param>
/// <param name="CgroupDirectories">The run's cgroup directories.</param>
/// <param name="Warning">Why the run has no (or fewer) limits, when so.</param>
/// <param name="Isolated">Whether the run has its own mount namespace: a private /proc and /tmp (the shepherd's isolation.c).</param>
/// <param name="PrivateTmp">The host directories that hold the run's private /tmp and /var/tmp (removed when it ends).</param>
internal sealed record StartedRecord(
    int Pid,
    DateTimeOffset? StartedAt,
    int ShepherdPid,
    long ShepherdStartTime,
    string Cgroups,
    IReadOnlyList<string> CgroupDirectories,
    string? Warning,
    bool Isolated = false,
    IReadOnlyList<string>? PrivateTmp = null)
{
    /// <summary>A <c>started</c> file of protocol 1 (<c>key=value</c> lines).</summary>
    public static StartedRecord? Parse(string text) => FromValues(KeyValueText.Parse(text));

    public static StartedRecord? FromValues(ILookup<string, string> values)
    {
        if (values.Int("pid") is not { } pid || values.Int("shepherd_pid") is not { } shepherdPid)
        {
            return null;
        }

        return new StartedRecord(
            pid,
            values.Time("started_at_ns"),
            shepherdPid,
            values.Long("shepherd_start_time") ?? 0,
            values.String("cgroups") ?? "none",
            values["cgroup_dir"].Where(dir => dir.Length > 0).ToList(),
            values.String("warning"),
            values.String("isolation") == "private",
            values["private_tmp"].Where(dir => dir.Length > 0).ToList());
    }
}
