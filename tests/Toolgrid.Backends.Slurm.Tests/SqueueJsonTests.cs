using System.Text;
using Toolgrid.Backends.Slurm.Engine;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.Slurm.Tests;

public sealed class SqueueJsonTests
{
    private static readonly IReadOnlyList<SlurmJob> Jobs = CapturedOutput.Jobs("squeue-ended-running-pending.json");

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
    public async Task Parse_reads_a_name_that_is_not_UTF8_with_replacement_characters_instead_of_refusing_every_job()
    {
        // Slurm prints a name as the bytes sbatch -J was given: here "café" in Latin-1.
        var json = Encoding.UTF8.GetBytes(TestData.Read("squeue-ended-running-pending.json").Replace("\"tg-20\"", "\"caf\u0001\"", StringComparison.Ordinal));
        json[Array.IndexOf(json, (byte)1)] = 0xE9;

        var jobs = await SqueueJson.ParseAsync(new MemoryStream(json), CancellationToken.None);

        Assert.Equal(("caf\uFFFD", 15), (jobs.Single(j => j.Id == 11).Name, jobs.Count));
    }

    [Fact]
    public async Task Parse_refuses_what_slurm_reported_as_errors()
    {
        var e = await Assert.ThrowsAsync<SlurmOutputException>(() => SqueueJson.ParseAsync(CapturedOutput.Stream("""{"errors": [{"error": "Unable to contact slurm controller"}], "jobs": []}"""), CancellationToken.None));

        Assert.Contains("Unable to contact slurm controller", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("", "not JSON")]
    [InlineData("""{"errors": [], "jobs": [{"job_id": 7""", "not JSON")]
    [InlineData("[]", "not an object")]
    [InlineData("""{"errors": []}""", "no 'jobs' list")]
    [InlineData("""{"errors": [], "jobs": [{"job_id": 7, "name": "tg-7"}]}""", "job 7 of 'squeue --json -t all' has no 'job_state'")]
    [InlineData("""{"errors": [], "jobs": [{"job_id": "7"}]}""", "has '\"7\"' as 'job_id', not a whole number")]
    public async Task Parse_says_what_it_could_not_read(string json, string message) =>
        Assert.Contains(message, (await Assert.ThrowsAsync<SlurmOutputException>(() => SqueueJson.ParseAsync(CapturedOutput.Stream(json), CancellationToken.None))).Message, StringComparison.Ordinal);
}
