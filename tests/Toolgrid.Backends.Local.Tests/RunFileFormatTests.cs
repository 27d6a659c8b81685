using System.Text;
using Toolgrid.Backends.Local.Protocol;

namespace Toolgrid.Backends.Local.Tests;

public sealed class RunFileFormatTests
{
    // As the backend and tg-shepherd write them: the header, the spec, then started and exit appended.
    private const string Spec = "spec\u00001\u0000run_id\u00007\u0000command\u0000echo end\u0000env\u0000end=spec\u0000end\u0000spec\u0000";

    private const string Started = "started\u00001\u0000run_id\u00007\u0000pid\u000010\u0000started_at_ns\u00001000\u0000shepherd_pid\u00009\u0000" +
        "shepherd_start_time\u0000555\u0000cgroups\u0000v1\u0000cgroup_dir\u0000/sys/fs/cgroup/pids/toolgrid/run-7\u0000" +
        "cgroup_dir\u0000/sys/fs/cgroup/memory/toolgrid/run-7\u0000warning\u0000\u0000end\u0000started\u0000";

    private const string Exit = "exit\u00001\u0000run_id\u00007\u0000pid\u000010\u0000started_at_ns\u00001000\u0000finished_at_ns\u00002000\u0000" +
        "signal\u00009\u0000oom\u00001\u0000timed_out\u00000\u0000stopped\u00000\u0000start_failed\u00000\u0000cgroups\u0000v1\u0000" +
        "message\u0000line one\nback\\slash\u0000end\u0000exit\u0000";

    [Fact]
    public void A_whole_run_file_gives_its_spec_started_and_exit_records()
    {
        var data = File(Spec, Started, Exit);

        var contents = RunFileFormat.Parse(data);

        Assert.NotNull(contents);
        Assert.True(contents.HasSpec);
        Assert.Equal((data.Length, data.Length), (contents.CompleteLength, contents.Length));
        Assert.Equal((10, 9, 555L, "v1", (string?)null), (contents.Started!.Pid, contents.Started.ShepherdPid, contents.Started.ShepherdStartTime, contents.Started.Cgroups, contents.Started.Warning));
        Assert.Equal(["/sys/fs/cgroup/pids/toolgrid/run-7", "/sys/fs/cgroup/memory/toolgrid/run-7"], contents.Started.CgroupDirectories);
        Assert.Equal(
            new ExitRecord(10, DateTimeOffset.UnixEpoch.AddTicks(10), DateTimeOffset.UnixEpoch.AddTicks(20), null, 9, true, false, false, false, "line one\nback\\slash"),
            contents.Exit);
    }

    [Fact]
    public void A_waiting_record_gives_the_held_run_s_shepherd_and_due_time_and_the_latest_one_counts()
    {
        const string Waiting = "waiting\u00001\u0000run_id\u00007\u0000pid\u000010\u0000not_before_ns\u00001764000000000000100\u0000shepherd_pid\u00009\u0000" +
            "shepherd_start_time\u0000555\u0000cgroups\u0000v1\u0000cgroup_dir\u0000/sys/fs/cgroup/pids/toolgrid/run-7\u0000end\u0000waiting\u0000";

        var held = RunFileFormat.Parse(File(Spec, Waiting));
        var started = RunFileFormat.Parse(File(Spec, Waiting, Started));
        var heldAgain = RunFileFormat.Parse(File(Spec, Waiting, Waiting.Replace("shepherd_pid\u00009\u0000", "shepherd_pid\u000019\u0000", StringComparison.Ordinal)));

        Assert.Equal(
            ((int?)10, (DateTimeOffset?)DateTimeOffset.UnixEpoch.AddTicks(17_640_000_000_000_001), 9, 555L),
            (held!.Waiting!.Pid, held.Waiting.NotBefore, held.Waiting.ShepherdPid, held.Waiting.ShepherdStartTime));
        Assert.Equal(["/sys/fs/cgroup/pids/toolgrid/run-7"], held.Waiting.CgroupDirectories);
        Assert.Null(held.Started);
        Assert.Equal((10, 9), (started!.Started!.Pid, started.Waiting!.ShepherdPid));
        Assert.Equal(19, heldAgain!.Waiting!.ShepherdPid);
    }

    [Fact]
    public void A_record_cut_short_anywhere_is_not_written_and_the_complete_part_ends_before_it()
    {
        var whole = File(Spec, Started);
        var beforeStarted = File(Spec).Length;

        for (var length = beforeStarted; length < whole.Length; length++)
        {
            var contents = RunFileFormat.Parse(whole.AsSpan(0, length));

            Assert.NotNull(contents);
            Assert.True(contents.HasSpec);
            Assert.Null(contents.Started);
            Assert.Equal((beforeStarted, length), (contents.CompleteLength, contents.Length));
        }

        Assert.NotNull(RunFileFormat.Parse(whole)!.Started);
    }

    [Fact]
    public void A_crash_that_leaves_zeros_where_a_record_was_being_written_leaves_it_unwritten()
    {
        var data = File(Spec).Concat(new byte[300]).ToArray();

        var contents = RunFileFormat.Parse(data);

        Assert.Equal((File(Spec).Length, (StartedRecord?)null, (ExitRecord?)null), (contents!.CompleteLength, contents.Started, contents.Exit));
    }

    [Fact]
    public void An_exit_written_by_the_backend_reads_back_the_same()
    {
        var exit = ExitRecord.NeverStarted(DateTimeOffset.UnixEpoch.AddSeconds(1_700_000_000), stopped: false, "cannot run the shepherd:\nno such file\0");

        var contents = RunFileFormat.Parse([.. RunFileFormat.Header, .. exit.ToRecord(3)]);

        Assert.False(contents!.HasSpec);
        Assert.Equal(exit with { Message = "cannot run the shepherd:\nno such file" }, contents.Exit);
        Assert.True(contents.Exit!.StartFailed);
    }

    [Theory]
    [InlineData("tg-shepherd-spec 1\0run_id\u00007\0")]
    [InlineData("tg-shepherd-run\u00003\0")]
    [InlineData("")]
    public void What_is_not_a_run_file_of_this_version_is_not_read_as_one(string text) =>
        Assert.Null(RunFileFormat.Parse(Encoding.UTF8.GetBytes(text)));

    private static byte[] File(params string[] records) => [.. RunFileFormat.Header, .. Encoding.UTF8.GetBytes(string.Concat(records))];
}
