using Toolgrid.Backends.GridEngine.Engine;
using Toolgrid.Core.Backends;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.GridEngine.Tests;

public sealed class SgeEndsTests
{
    private static readonly List<SgeAccountingRecord> Ended = Records("accounting");
    private static readonly List<SgeAccountingRecord> Failures = Records("accounting-failures");

    [Fact]
    public void An_exit_is_the_exit_code_with_the_nodes_times()
    {
        var report = SgeEnds.Report(106, Ended.Single(r => r.JobNumber == 6));

        Assert.Equal((BackendRunPhase.Exited, 0, (int?)null, "node1-gs27702"), (report.Phase, report.ExitCode!.Value, report.Signal, report.Node));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796431420), report.StartedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796431422), report.FinishedAt);
    }

    [Fact]
    public void An_end_by_a_signal_names_the_signal()
    {
        var report = SgeEnds.Report(101, Ended.Single(r => r.JobNumber == 1));

        Assert.Equal((BackendRunPhase.Exited, (int?)null, 9, false), (report.Phase, report.ExitCode, report.Signal!.Value, report.OutOfMemory));
    }

    [Fact]
    public void A_kill_for_going_over_h_vmem_is_out_of_memory()
    {
        var report = SgeEnds.Report(2, Failures.Single(r => r.JobNumber == 2));

        Assert.True(report.OutOfMemory);
        Assert.Equal((BackendRunPhase.Exited, 9, "node2-gs11924"), (report.Phase, report.Signal!.Value, report.Node));
    }

    [Fact]
    public void A_job_sge_could_not_start_is_a_start_failure_saying_why()
    {
        var directory = SgeEnds.Report(1, Failures.Single(r => r.JobNumber == 1));
        var output = SgeEnds.Report(3, Failures.Single(r => r.JobNumber == 3));

        Assert.True(directory.StartFailed);
        Assert.Null(directory.StartedAt);
        Assert.Contains("working directory", directory.Message, StringComparison.Ordinal);
        Assert.True(output.StartFailed);
        Assert.Contains("output file", output.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_other_failure_is_lost_naming_the_code()
    {
        var record = Ended[0] with { Failed = 19, ExitStatus = 0, EndedAt = null };

        var report = SgeEnds.Report(101, record);

        Assert.Equal(BackendRunPhase.Lost, report.Phase);
        Assert.Contains("failed 19", report.Message, StringComparison.Ordinal);
    }

    private static List<SgeAccountingRecord> Records(string file) =>
        TestData.Read(file).Split('\n').Select(SgeAccountingRecord.Parse).OfType<SgeAccountingRecord>().ToList();
    // Captured: a job submitted with -l h_rt=5 -notify that caught the notify signal and ran on until SGE killed it.
    private const string RanToItsHardRuntime =
        "default:node1-gkq:tglateg:tglate:tg-8:8:sge:0:1796441499:1796441500:1796441560:37:0:60:0.196201:0.108791:4636.000000:0:0:0:0:3832:0:0:0.000000:64:0:0:0:248:102:NONE:defaultdepartment:NONE:1:0:0.304992:0.000065:0.000462:-l h_rt=5:0.000000:NONE:3399680.000000:0:0";

    [Fact]
    public void A_job_that_ran_to_its_h_rt_is_timed_out_not_out_of_memory()
    {
        var record = SgeAccountingRecord.Parse(RanToItsHardRuntime)!;

        var report = SgeEnds.Report(108, record);

        Assert.Equal((60L, 5L), (record.WallclockSeconds, record.RuntimeLimitSeconds!.Value));
        Assert.True(report is { Phase: BackendRunPhase.Exited, TimedOut: true, OutOfMemory: false, ExitCode: 0, Signal: null }, report.ToString());
        Assert.Equal("ran past its timeout of 5s (h_rt) and was stopped", report.Message);
    }

    [Fact]
    public void A_job_that_ended_before_its_h_rt_is_not_timed_out() =>
        Assert.False(SgeEnds.Report(108, SgeAccountingRecord.Parse(RanToItsHardRuntime.Replace("-l h_rt=5:", "-l h_vmem=1G,h_rt=61:", StringComparison.Ordinal))!).TimedOut);

    [Fact]
    public void A_plain_exit_is_reported_from_the_accounting_line_alone_an_end_by_signal_only_after_a_stop()
    {
        var exit = SgeEnds.Report(106, Ended.Single(r => r.JobNumber == 6));
        var signal = SgeEnds.Report(101, Ended.Single(r => r.JobNumber == 1));

        Assert.True(SgeEnds.KnownWithoutQstat(exit, stopped: false, removed: false));
        Assert.True(SgeEnds.KnownWithoutQstat(signal, stopped: true, removed: false));

        // A qdel outside Toolgrid shows only in qstat: an end by signal without a stop waits for it.
        Assert.False(SgeEnds.KnownWithoutQstat(signal, stopped: false, removed: false));
        Assert.False(SgeEnds.KnownWithoutQstat(exit, stopped: false, removed: true));
    }

    [Fact]
    public void A_job_sge_could_not_start_waits_for_qstat_to_be_deleted()
    {
        var report = SgeEnds.Report(26, Failures.Single(r => r.Failed == 26));

        Assert.False(SgeEnds.KnownWithoutQstat(report, stopped: false, removed: false));
    }
}
