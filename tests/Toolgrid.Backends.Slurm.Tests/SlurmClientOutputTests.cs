using System.Text.Json.Nodes;
using Toolgrid.Backends.Slurm.Engine;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.Slurm.Tests;

/// <summary>
/// What <see cref="SlurmClient"/> makes of output a real cluster prints seldom or only when it is
/// in trouble: its squeue and scontrol are stand-in scripts here, run as the real ones are
/// (a program, its standard output read as it comes). <see cref="SlurmClientTests"/> has the real cluster.
/// </summary>
public sealed class SlurmClientOutputTests : IDisposable
{
    private readonly DirectoryInfo _bin = Directory.CreateTempSubdirectory("toolgrid-slurm-bin-");

    public void Dispose() => _bin.Delete(recursive: true);

    [Fact]
    public async Task Listing_jobs_reads_an_output_many_times_a_pipe_long()
    {
        var captured = JsonNode.Parse(TestData.Read("squeue-ended-running-pending.json"))!;
        var jobs = captured["jobs"]!.AsArray();
        var many = Enumerable.Range(0, 200).SelectMany(_ => jobs.Select(j => j!.DeepClone())).ToArray();
        captured["jobs"] = new JsonArray(many);
        var file = Path.Combine(_bin.FullName, "squeue.json");
        await File.WriteAllTextAsync(file, captured.ToJsonString());
        Assert.True(new FileInfo(file).Length > 1 << 20);

        var listed = await Client("exec cat " + file).ListJobsAsync(CancellationToken.None);

        Assert.Equal(200 * jobs.Count, listed.Count);
    }

    [Fact]
    public async Task Output_that_is_not_JSON_is_an_error_saying_so_when_slurmctld_answers()
    {
        var e = await Assert.ThrowsAsync<SlurmOutputException>(() => Client("echo 'squeue: fatal: something odd'").ListJobsAsync(CancellationToken.None));

        Assert.Contains("'squeue --json -t all' printed something that is not JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unspecified_error_is_slurmctld_not_answering_when_scontrol_ping_says_so()
    {
        var client = Client("""echo '{"errors": [{"error": "Unspecified error"}], "jobs": []}'""", "echo 'Slurmctld(primary) at ctl is DOWN'; exit 1");

        var e = await Assert.ThrowsAsync<SlurmNotAnsweringException>(() => client.ListJobsAsync(CancellationToken.None));

        Assert.Contains("'scontrol ping' exited with code 1: Slurmctld(primary) at ctl is DOWN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_squeue_is_an_error_with_what_it_said_whatever_it_printed_before()
    {
        var client = Client("""echo '{"jobs": ['; echo 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)' >&2; exit 1""");

        var e = await Assert.ThrowsAsync<SlurmNotAnsweringException>(() => client.ListJobsAsync(CancellationToken.None));

        Assert.Contains("'squeue --json -t all' failed with exit code 1: slurm_load_jobs error: Unable to contact", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_squeue_that_stops_half_way_is_killed_at_the_timeout()
    {
        var client = Client("""echo '{"jobs": ['; exec sleep 600""", timeout: TimeSpan.FromSeconds(1));

        var e = await Assert.ThrowsAsync<SlurmNotAnsweringException>(() => client.ListJobsAsync(CancellationToken.None));

        Assert.Contains("'squeue --json -t all' did not finish within 1 s and was killed", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A client whose squeue and scontrol run these shell lines (scontrol answers by default).</summary>
    private SlurmClient Client(string squeue, string scontrol = "exit 0", TimeSpan? timeout = null)
    {
        foreach (var (program, body) in new[] { ("squeue", squeue), ("scontrol", scontrol) })
        {
            var path = Path.Combine(_bin.FullName, program);
            File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new SlurmClient(new SlurmCluster("/nonexistent/slurm.conf", _bin.FullName, TimeZoneInfo.Utc, null), TimeProvider.System, timeout ?? TimeSpan.FromSeconds(30));
    }
}
