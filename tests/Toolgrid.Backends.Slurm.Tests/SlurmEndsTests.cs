using Toolgrid.Backends.Slurm.Engine;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Slurm.Tests;

public sealed class SlurmEndsTests
{
    private static readonly IReadOnlyList<SlurmJob> Ended = CapturedOutput.Jobs("squeue-ended-running-pending.json");
    private static readonly IReadOnlyList<SlurmJob> AfterNodeFailure = CapturedOutput.Jobs("squeue-node-fail.json");

    [Fact]
    public void An_exit_is_the_exit_code_with_the_nodes_times()
    {
        var zero = SlurmEnds.Report(103, Job(3));
        var three = SlurmEnds.Report(104, Job(4));

        Assert.Equal((BackendRunPhase.Exited, 0, (int?)null, "node1-sl24825"), (zero.Phase, zero.ExitCode!.Value, zero.Signal, zero.Node));
        Assert.Equal((BackendRunPhase.Exited, 3, (int?)null), (three.Phase, three.ExitCode!.Value, three.Signal));
        Assert.Equal((DateTimeOffset.FromUnixTimeSeconds(1796436224), DateTimeOffset.FromUnixTimeSeconds(1796436226)), (three.StartedAt!.Value, three.FinishedAt!.Value));
    }

    [Fact]
    public void An_end_by_a_signal_names_the_signal()
    {
        // Slurm says FAILED, reason JobLaunchFailure, for these: the script killed itself.
        Assert.Equal((null, 15), Outcome(SlurmEnds.Report(105, Job(5))));
        Assert.Equal((null, 9), Outcome(SlurmEnds.Report(110, Job(10))));
    }

    [Fact]
    public void Scancel_of_a_running_job_is_SIGTERM_and_says_cancelled()
    {
        var report = SlurmEnds.Report(106, Job(6));

        Assert.Equal((BackendRunPhase.Exited, 15, "cancelled (scancel)"), (report.Phase, report.Signal!.Value, report.Message));
    }

    [Fact]
    public void Scancel_of_a_pending_job_ended_it_before_it_started()
    {
        var report = SlurmEnds.Report(115, AfterNodeFailure.Single(j => j.Id == 15));

        Assert.Equal((BackendRunPhase.Exited, (string?)null, (DateTimeOffset?)null), (report.Phase, report.Node, report.StartedAt));
        Assert.Contains("before it started", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_memory_is_out_of_memory()
    {
        var report = SlurmEnds.Report(107, Job(7));

        Assert.True(report.OutOfMemory);
        Assert.Equal((BackendRunPhase.Exited, 9), (report.Phase, report.Signal!.Value));
    }

    [Fact]
    public void A_job_slurm_could_not_launch_is_a_start_failure_saying_why()
    {
        var report = SlurmEnds.Report(114, Job(14));

        Assert.True(report is { Phase: BackendRunPhase.Exited, StartFailed: true, StartedAt: null, ExitCode: null, Signal: null }, report.ToString());
        Assert.Contains("could not launch it on node1-sl24825", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_whose_node_failed_is_lost_on_that_node()
    {
        var report = SlurmEnds.Report(111, AfterNodeFailure.Single(j => j.Id == 11));

        Assert.Equal((BackendRunPhase.Lost, "node2-sl24825"), (report.Phase, report.Node));
        Assert.StartsWith("its node node2-sl24825 stopped answering: Slurm ended job 11 as NODE_FAIL (NodeDown)", report.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0, null)]
    [InlineData(768, 3, null)]
    [InlineData(15, null, 15)]
    [InlineData(0x89, null, 9)]
    [InlineData(4021, null, null)]
    [InlineData(253, null, null)]
    public void Decode_reads_a_wait_status_and_nothing_else(int status, int? exitCode, int? signal) =>
        Assert.Equal((exitCode, signal), SlurmEnds.Decode(status));

    private static SlurmJob Job(long id) => Ended.Single(j => j.Id == id);

    private static (int? ExitCode, int? Signal) Outcome(BackendRunReport report) => (report.ExitCode, report.Signal);
}
