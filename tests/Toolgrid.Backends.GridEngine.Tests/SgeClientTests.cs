using System.Security.Cryptography;
using Toolgrid.Backends.GridEngine.Engine;
using Toolgrid.Core.Backends;

using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.GridEngine.Tests;

/// <summary>The engine client against a real SGE cluster: submit, observe, delete, read the ends, the nodes.</summary>
[Collection(SgeCluster.Name)]
public sealed class SgeClientTests
{
    private static readonly TimeSpan Patience = Eventually.Patience;
    private readonly SgeClusterFixture _sge;

    public SgeClientTests(SgeClusterFixture sge) => _sge = sge;

    private TestCluster Cluster => _sge.Cluster;

    [RootFact]
    public async Task A_run_runs_as_its_tools_user_on_a_node_and_its_end_is_read_from_the_accounting_file()
    {
        var offset = (await _sge.Client.ReadAccountingAsync(0, CancellationToken.None)).NextOffset;
        var environment = new Dictionary<string, string> { ["GREETING"] = "it's \"quoted\" $HOME" };
        var launch = Launch("echo \"$GREETING\" \"$(id -un)\" \"$(hostname)\"; until [ -e go ]; do sleep 0.1; done; exit 3", environment);
        await File.WriteAllTextAsync(launch.StdoutPath!, "earlier\n");
        await TestPrograms.RunAsync("chown", [Cluster.User, launch.StdoutPath!], Patience);

        var jobNumber = await _sge.Client.SubmitAsync(SgeSubmission.For(launch, "default"), CancellationToken.None);
        var running = await Eventually.FoundAsync($"job {jobNumber} running", async () => (await _sge.Client.ReadStateAsync(CancellationToken.None)).Jobs.SingleOrDefault(j => j.Number == jobNumber && j.State == "r"));
        await File.WriteAllTextAsync(Path.Combine(Cluster.Home, "go"), string.Empty);
        var end = await EndOfAsync(jobNumber, offset);

        Assert.Equal((SgeSubmission.NameOf(launch.RunId), Cluster.User, "default"), (running.Name, running.Owner, running.Queue));
        Assert.Contains(running.Node, new[] { Cluster.Node1, Cluster.Node2 });
        Assert.Equal((0, 3, running.Node), (end.Failed, end.ExitStatus, end.Host));
        Assert.True(end.StartedAt <= end.EndedAt, $"start {end.StartedAt}, end {end.EndedAt}");
        Assert.Equal($"earlier\nit's \"quoted\" $HOME {Cluster.User} {running.Node}\n", await File.ReadAllTextAsync(launch.StdoutPath!));
    }

    [RootFact]
    public async Task Deleting_a_running_job_stops_its_command_with_SIGTERM_first()
    {
        var offset = (await _sge.Client.ReadAccountingAsync(0, CancellationToken.None)).NextOffset;
        // A grace period as long as the test's patience: the job script's SIGKILL wins only where the test would time out anyway.
        var launch = Launch("touch started; exec sleep 1000") with { GracePeriod = Patience };

        var jobNumber = await _sge.Client.SubmitAsync(SgeSubmission.For(launch, "default"), CancellationToken.None);
        await Eventually.FileAsync("the command started", Path.Combine(Cluster.Home, "started"));
        var deleted = await _sge.Client.DeleteAsync(jobNumber, CancellationToken.None);
        var end = await EndOfAsync(jobNumber, offset);

        Assert.True(deleted);
        // SIGTERM (143), not the SIGKILL (137) that SGE alone sends.
        Assert.Equal((SgeAccountingRecord.FailedBySignal, 128 + 15), (end.Failed, end.ExitStatus));
        Assert.False(await _sge.Client.DeleteAsync(jobNumber, CancellationToken.None));
    }

    [RootFact]
    public async Task A_tools_own_sge_request_file_changes_nothing_of_its_runs()
    {
        var offset = (await _sge.Client.ReadAccountingAsync(0, CancellationToken.None)).NextOffset;
        var requests = Path.Combine(Cluster.Home, ".sge_request");
        await File.WriteAllTextAsync(requests, "-h -q dedicated -N mine\n");
        try
        {
            var launch = Launch("exit 0");

            var jobNumber = await _sge.Client.SubmitAsync(SgeSubmission.For(launch, "default"), CancellationToken.None);
            var end = await EndOfAsync(jobNumber, offset);

            Assert.Equal(("default", SgeSubmission.NameOf(launch.RunId), 0), (end.Queue, end.JobName, end.ExitStatus));
        }
        finally
        {
            File.Delete(requests);
        }
    }

    [RootFact]
    public async Task Nodes_have_their_queues_and_slots_and_a_disabled_node_takes_no_work()
    {
        var hosts = await _sge.Client.ListHostsAsync(CancellationToken.None);
        var nodes = SgeNodes.Capacity(hosts, (await _sge.Client.ReadStateAsync(CancellationToken.None)).QueueInstances);
        await Cluster.RunAsync("drain", "1");
        IReadOnlyList<NodeCapacity> drained;
        try
        {
            drained = SgeNodes.Capacity(hosts, (await _sge.Client.ReadStateAsync(CancellationToken.None)).QueueInstances);
        }
        finally
        {
            await Cluster.RunAsync("resume", "1");
        }

        Assert.Equal([(Cluster.Node1, "default", true), (Cluster.Node2, "dedicated,default", true)], nodes.Select(n => (n.Name, string.Join(',', n.Queues), n.Up)));
        Assert.All(nodes, n => Assert.True(n.Slots > 0 && n.CpuMillis > 0 && n.MemoryBytes > 0, n.ToString()));
        Assert.Equal([false, true], drained.Select(n => n.Up));
    }

    [RootFact]
    public async Task A_run_whose_processes_go_over_its_memory_together_ends_out_of_memory()
    {
        var offset = (await _sge.Client.ReadAccountingAsync(0, CancellationToken.None)).NextOffset;
        // Each process stays under the limit (it is also each one's RLIMIT_AS); the three together do not.
        var hold = "import time; b = bytearray(150 * 1024 * 1024); time.sleep(600)";
        var launch = Launch($"for i in 1 2 3; do python3 -c '{hold}' & done; wait") with { MemoryBytes = 400L * 1024 * 1024 };

        var jobNumber = await _sge.Client.SubmitAsync(SgeSubmission.For(launch, "default"), CancellationToken.None);
        var report = SgeEnds.Report(launch.RunId, await EndOfAsync(jobNumber, offset));

        Assert.True(report.OutOfMemory, report.ToString());
        Assert.Equal(9, report.Signal);
    }

    [RootFact]
    public async Task A_run_whose_working_directory_is_missing_on_the_node_fails_to_start_and_waits_in_error_until_deleted()
    {
        var offset = (await _sge.Client.ReadAccountingAsync(0, CancellationToken.None)).NextOffset;
        var launch = Launch("true") with { WorkingDirectory = Path.Combine(Cluster.Home, "missing") };

        var jobNumber = await _sge.Client.SubmitAsync(SgeSubmission.For(launch, "default"), CancellationToken.None);
        var report = SgeEnds.Report(launch.RunId, await EndOfAsync(jobNumber, offset));
        var waiting = await Eventually.FoundAsync($"job {jobNumber} in error", async () => (await _sge.Client.ReadStateAsync(CancellationToken.None)).Jobs.SingleOrDefault(j => j.Number == jobNumber && j.InError));

        Assert.True(report.StartFailed, report.ToString());
        Assert.Contains("working directory", report.Message, StringComparison.Ordinal);
        Assert.True(waiting.Pending);
        Assert.True(await _sge.Client.DeleteAsync(jobNumber, CancellationToken.None));
    }

    [RootFact]
    public async Task Deleting_a_job_the_engine_does_not_have_says_so() =>
        Assert.False(await _sge.Client.DeleteAsync(987654321, CancellationToken.None));

    [RootFact]
    public async Task A_submission_the_engine_refuses_is_an_error_naming_the_job_and_what_qsub_said()
    {
        var launch = Launch("true");

        var e = await Assert.ThrowsAsync<SgeCommandException>(() => _sge.Client.SubmitAsync(SgeSubmission.For(launch, "nosuchqueue"), CancellationToken.None));

        Assert.Contains($"qsub -N {SgeSubmission.NameOf(launch.RunId)} as {Cluster.User}", e.Message, StringComparison.Ordinal);
        Assert.Contains("nosuchqueue", e.Message, StringComparison.Ordinal);
    }

    private RunLaunch Launch(string command, IReadOnlyDictionary<string, string>? environment = null) =>
        Launches.Of(RandomNumberGenerator.GetInt32(1, int.MaxValue), command, Cluster.Home, Cluster.User, Cluster.Uid, Cluster.Uid, environment);

    private Task<SgeAccountingRecord> EndOfAsync(long jobNumber, long offset) =>
        Eventually.FoundAsync($"the accounting record of job {jobNumber}", async () => (await _sge.Client.ReadAccountingAsync(offset, CancellationToken.None)).Records.SingleOrDefault(r => r.JobNumber == jobNumber));
}
