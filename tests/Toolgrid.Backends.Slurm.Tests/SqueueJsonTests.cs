using Toolgrid.Backends.Slurm.Engine;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.Slurm.Tests;

public sealed class SqueueJsonTests
{
    private static readonly IReadOnlyList<SlurmJob> Jobs = SqueueJson.Parse(TestData.Read("squeue-ended-running-pending.json"));

    [Fact]
    public void Parse_gives_a_running_job_its_node_and_start_and_no_end()
    {
        var running = Jobs.Single(j => j.Id == 11);

        Assert.Equal(("tg-20", "tgslx15150", 63777, "RUNNING", "dedicated", "node2-sl24825"), (running.Name, running.User, running.Uid, running.State, running.Partition, running.Node));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796436262), running.StartedAt);
        // squeue's end_time of a running job is its start plus its time limit: not an end.
        Assert.Null(running.EndedAt);
        Assert.False(running.Ended);
    }

    [Fact]
    public void Parse_gives_a_pending_job_no_node_and_no_start()
    {
        var pending = Jobs.Single(j => j.Id == 12);

        Assert.True(pending.Pending);
        Assert.Equal(("Resources", (string?)null, (DateTimeOffset?)null), (pending.Reason, pending.Node, pending.StartedAt));
    }

    [Fact]
    public void Parse_gives_an_ended_job_its_end_and_raw_wait_status()
    {
        var failed = Jobs.Single(j => j.Id == 4);

        Assert.True(failed.Ended);
        Assert.Equal(("FAILED", "NonZeroExitCode", 3 << 8), (failed.State, failed.Reason, failed.WaitStatus));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796436226), failed.EndedAt);
    }

    [Fact]
    public void Parse_refuses_what_slurm_reported_as_errors()
    {
        var e = Assert.Throws<SlurmOutputException>(() => SqueueJson.Parse("""{"errors": [{"error": "Unable to contact slurm controller"}], "jobs": []}"""));

        Assert.Contains("Unable to contact slurm controller", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("""{"errors": []}""", "no 'jobs' list")]
    [InlineData("""{"errors": [], "jobs": [{"job_id": 7, "name": "tg-7"}]}""", "job 7 of 'squeue --json -t all' has no 'job_state'")]
    [InlineData("""{"errors": [], "jobs": [{"job_id": "7"}]}""", "has '\"7\"' as 'job_id', not a whole number")]
    public void Parse_says_what_it_could_not_read(string json, string message) =>
        Assert.Contains(message, Assert.Throws<SlurmOutputException>(() => SqueueJson.Parse(json)).Message, StringComparison.Ordinal);
}
