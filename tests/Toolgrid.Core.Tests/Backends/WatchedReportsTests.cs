using Toolgrid.Core.Backends;

namespace Toolgrid.Core.Tests.Backends;

public sealed class WatchedReportsTests
{
    [Fact]
    public void An_end_read_from_the_ends_file_is_not_reported_again_by_the_next_full_read()
    {
        var last = new Dictionary<long, BackendRunReport>();
        var running = new BackendRunReport(1, "node1", BackendRunPhase.Running);
        var other = new BackendRunReport(2, "node2", BackendRunPhase.Running);
        var exited = new BackendRunReport(1, "node1", BackendRunPhase.Exited, ExitCode: 0);

        Assert.Equal([running, other], WatchedReports.Changed(last, [running, other], whole: true));
        Assert.Equal([exited], WatchedReports.Changed(last, [exited], whole: false));
        Assert.Empty(WatchedReports.Changed(last, [exited, other], whole: true));
    }

    [Fact]
    public void A_run_a_full_read_did_not_report_is_reported_again_when_seen_again()
    {
        var last = new Dictionary<long, BackendRunReport>();
        var running = new BackendRunReport(1, "node1", BackendRunPhase.Running);
        WatchedReports.Changed(last, [running], whole: true);

        Assert.Empty(WatchedReports.Changed(last, [], whole: false));
        Assert.Empty(WatchedReports.Changed(last, [], whole: true));
        Assert.Equal([running], WatchedReports.Changed(last, [running], whole: true));
    }
}
