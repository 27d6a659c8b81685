using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>Exit and started records, and the <c>exit</c>/<c>started</c> files of run directories of protocol 1 (still read after an upgrade).</summary>
public sealed class ExitRecordTests
{
    [Fact]
    public void An_exit_file_of_protocol_1_becomes_a_report()
    {
        const string Text = "version=1\nrun_id=7\npid=1234\nstarted_at_ns=1700000000123456789\nfinished_at_ns=1700000001000000000\n" +
            "exit_code=\nsignal=9\noom=1\ntimed_out=0\nstopped=0\nstart_failed=0\ncgroups=v1\nmessage=line one\\nback\\\\slash\n";

        var report = ExitRecord.Parse(Text).ToReport(7, "node1");

        Assert.Equal(new BackendRunReport(
            7,
            "node1",
            BackendRunPhase.Exited,
            1234,
            DateTimeOffset.UnixEpoch.AddTicks(17000000001234567),
            DateTimeOffset.UnixEpoch.AddTicks(17000000010000000),
            null,
            9,
            OutOfMemory: true,
            Message: "line one\nback\\slash"), report);
    }

    [Fact]
    public void An_exit_file_written_by_the_backend_for_a_run_directory_reads_back_the_same()
    {
        var exit = ExitRecord.NeverStarted(DateTimeOffset.UnixEpoch.AddSeconds(1_700_000_000), stopped: false, "cannot run the shepherd:\nno such file");

        Assert.Equal(exit, ExitRecord.Parse(exit.Format(3)));
        Assert.True(exit.StartFailed);
    }

    [Fact]
    public void A_started_file_of_protocol_1_names_the_shepherd_and_the_cgroups()
    {
        var started = StartedRecord.Parse("version=1\nrun_id=1\npid=10\nstarted_at_ns=1000\nshepherd_pid=9\nshepherd_start_time=555\ncgroups=v1\n" +
            "cgroup_dir=/sys/fs/cgroup/memory/toolgrid/run-1\ncgroup_dir=/sys/fs/cgroup/pids/toolgrid/run-1\nwarning=\n");

        Assert.NotNull(started);
        Assert.Equal((10, 9, 555L, "v1", (string?)null), (started.Pid, started.ShepherdPid, started.ShepherdStartTime, started.Cgroups, started.Warning));
        Assert.Equal(["/sys/fs/cgroup/memory/toolgrid/run-1", "/sys/fs/cgroup/pids/toolgrid/run-1"], started.CgroupDirectories);
    }
}
