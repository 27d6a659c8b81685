using Toolgrid.Backends.GridEngine.Engine;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.GridEngine.Tests;

public sealed class QstatXmlTests
{
    [Fact]
    public void ParseJobs_reads_running_jobs_with_their_node_and_pending_ones_without()
    {
        var jobs = QstatXml.ParseJobs(TestData.Read("qstat-running-and-pending.xml"), TimeZoneInfo.Utc);

        Assert.Equal(3, jobs.Count);
        Assert.Equal(new SgeJob(1, "tg-101", "tggrid62900", "r", false, "default", "node1-gs27702", new DateTimeOffset(2026, 12, 5, 0, 41, 34, TimeSpan.Zero), null, 1), jobs[0]);
        Assert.Equal(("dedicated", "node2-gs27702"), (jobs[1].Queue, jobs[1].Node));
        var pending = jobs[2];
        Assert.True(pending.Pending);
        Assert.Equal(("tg-103", "qw", (string?)null, (string?)null), (pending.Name, pending.State, pending.Queue, pending.Node));
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 0, 41, 35, TimeSpan.Zero), pending.SubmittedAt);
    }

    [Fact]
    public void ParseJobs_reads_the_full_form_the_same_and_takes_the_times_in_the_qmasters_zone()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var plain = QstatXml.ParseJobs(TestData.Read("qstat-running-and-pending.xml"), berlin);
        var full = QstatXml.ParseJobs(TestData.Read("qstat-f.xml"), berlin);

        Assert.Equal(plain.Select(j => (j.Number, j.Name, j.Node, j.Pending)), full.Select(j => (j.Number, j.Name, j.Node, j.Pending)));
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 23, 41, 34, TimeSpan.Zero), full[0].StartedAt!.Value.ToUniversalTime());
    }

    [Fact]
    public void ParseJobs_sees_a_job_being_deleted()
    {
        var jobs = QstatXml.ParseJobs(TestData.Read("qstat-f-node1-disabled.xml"), TimeZoneInfo.Utc);

        Assert.Contains(jobs, j => j is { Number: 5, State: "dr", Deleting: true });
    }

    [Fact]
    public void ParseQueueInstances_reads_slots_and_states()
    {
        var instances = QstatXml.ParseQueueInstances(TestData.Read("qstat-f.xml"));

        Assert.Equal(
            [("default", "node1-gs27702", 1, 8, true), ("default", "node2-gs27702", 0, 8, true), ("dedicated", "node2-gs27702", 1, 8, true)],
            instances.Select(q => (q.Queue, q.Host, q.SlotsUsed, q.SlotsTotal, q.TakesWork)));
    }

    [Fact]
    public void ParseQueueInstances_shows_a_disabled_node_and_a_node_not_heard_from()
    {
        var drained = QstatXml.ParseQueueInstances(TestData.Read("qstat-f-node1-disabled.xml"));
        var lost = QstatXml.ParseQueueInstances(TestData.Read("qstat-f-node2-unknown.xml"));

        Assert.Equal("d", drained.Single(q => q.Host == "node1-gs27702").State);
        Assert.All(lost.Where(q => q.Host == "node2-gs27702"), q => Assert.True(q.Unknown));
        Assert.Contains(QstatXml.ParseJobs(TestData.Read("qstat-f-node2-unknown.xml"), TimeZoneInfo.Utc), j => j is { Number: 2, State: "r", Node: "node2-gs27702" });
    }

    [Fact]
    public void ParseQueueInstances_reads_which_jobs_failure_put_an_instance_in_error()
    {
        var instances = QstatXml.ParseQueueInstances(TestData.Read("qstat-f-node2-error.xml"));

        Assert.Equal(
            [("default@node1", false, Array.Empty<long>()), ("default@node2", true, [7L]), ("dedicated@node2", true, [7L])],
            instances.Select(q => (q.Name, q.InError, q.FailedJobs.ToArray())));
        Assert.Equal("queue default marked QERROR as result of job 7's failure at host node2", instances[1].Messages!.Single());
    }

    [Theory]
    [InlineData("error: commlib error: got select error (Connection refused)", "not XML")]
    [InlineData("<job_info><queue_info><job_list state=\"running\"><JB_job_number>x</JB_job_number><JB_owner>u</JB_owner></job_list></queue_info></job_info>", "'x' as <JB_job_number>, not a number")]
    [InlineData("<job_info><job_info><job_list state=\"pending\"><JB_job_number>4</JB_job_number></job_list></job_info></job_info>", "without <JB_owner>")]
    [InlineData("<job_info><queue_info><job_list state=\"running\"><JB_job_number>4</JB_job_number><JB_owner>u</JB_owner><queue_name>default</queue_name></job_list></queue_info></job_info>", "'default', not QUEUE@HOST")]
    public void ParseJobs_refuses_output_it_cannot_read_saying_what_is_wrong(string xml, string expected)
    {
        var e = Assert.Throws<SgeOutputException>(() => QstatXml.ParseJobs(xml, TimeZoneInfo.Utc));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
