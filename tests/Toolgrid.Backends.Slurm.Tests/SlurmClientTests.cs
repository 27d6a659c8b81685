using System.Globalization;
using System.Security.Cryptography;
using Toolgrid.Backends.Slurm.Engine;
using Toolgrid.Core.Backends;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.Slurm.Tests;

/// <summary>The engine client against a real Slurm cluster: submit, observe, signal, cancel, read the ends, the nodes.</summary>
[Collection(RealSlurmCluster.Name)]
public sealed class SlurmClientTests
{
    private readonly SlurmClusterFixture _slurm;

    public SlurmClientTests(SlurmClusterFixture slurm) => _slurm = slurm;

    private TestCluster Cluster => _slurm.Cluster;

    private SlurmClient Client => _slurm.Client;

    [RootFact]
    public async Task A_run_runs_as_its_tools_user_on_a_node_and_its_end_is_read_from_squeue()
    {
        var environment = new Dictionary<string, string> { ["GREETING"] = "it's \"quoted\" $HOME" };
        var launch = Launch(id => $"echo \"$GREETING\" \"$(id -un)\" \"$(hostname)\" \"$(pwd)\"; until [ -e go-{id} ]; do sleep 0.1; done; exit 3", environment);
        await File.WriteAllTextAsync(launch.StdoutPath!, "earlier\n");
        await TestPrograms.RunAsync("chown", [Cluster.User, launch.StdoutPath!], Eventually.Patience);

        var jobId = await Client.SubmitAsync(SlurmSubmission.For(launch, null), CancellationToken.None);
        var running = await JobAsync(jobId, j => j.State == "RUNNING");
        await File.WriteAllTextAsync(Path.Combine(Cluster.Home, $"go-{launch.RunId}"), string.Empty);
        var ended = await JobAsync(jobId, j => j.Ended);
        var report = SlurmEnds.Report(launch.RunId, ended);

        Assert.Equal((SlurmSubmission.NameOf(launch.RunId), Cluster.User, Cluster.Uid, _slurm.DefaultPartition), (running.Name, running.User, running.Uid, running.Partition));
        Assert.Contains(running.Node, new[] { Cluster.Node1, Cluster.Node2 });
        Assert.Equal((BackendRunPhase.Exited, 3, running.Node), (report.Phase, report.ExitCode, report.Node));
        Assert.True(report.StartedAt <= report.FinishedAt, report.ToString());
        Assert.Equal($"earlier\nit's \"quoted\" $HOME {Cluster.User} {running.Node} {Cluster.Home}\n", await File.ReadAllTextAsync(launch.StdoutPath!));
    }

    [RootFact]
    public async Task A_run_asked_into_a_partition_runs_on_its_node()
    {
        var launch = Launch(_ => "exit 0");

        var jobId = await Client.SubmitAsync(SlurmSubmission.For(launch, "dedicated"), CancellationToken.None);
        var ended = await JobAsync(jobId, j => j.Ended);

        Assert.Equal(("dedicated", Cluster.Node2, "COMPLETED"), (ended.Partition, ended.Node, ended.State));
    }

    [RootFact]
    public async Task Signalling_a_running_job_reaches_its_command_and_the_run_ends_by_that_signal()
    {
        var launch = Launch(id => $"touch started-{id}; exec sleep 1000");

        var jobId = await Client.SubmitAsync(SlurmSubmission.For(launch, null), CancellationToken.None);
        await StartedAsync(launch);
        var signalled = await Client.SignalAsync(jobId, "TERM", CancellationToken.None);
        var report = SlurmEnds.Report(launch.RunId, await JobAsync(jobId, j => j.Ended));

        Assert.True(signalled);
        Assert.Equal((BackendRunPhase.Exited, (int?)null, 15), (report.Phase, report.ExitCode, report.Signal));
        Assert.False(await Client.SignalAsync(jobId, "TERM", CancellationToken.None));
    }

    [RootFact]
    public async Task Cancelling_a_running_job_ends_it_by_SIGTERM_as_cancelled()
    {
        var launch = Launch(id => $"touch started-{id}; exec sleep 1000");

        var jobId = await Client.SubmitAsync(SlurmSubmission.For(launch, null), CancellationToken.None);
        await StartedAsync(launch);
        await Client.CancelAsync(jobId, CancellationToken.None);
        var report = SlurmEnds.Report(launch.RunId, await JobAsync(jobId, j => j.Ended));

        Assert.True(report is { Phase: BackendRunPhase.Exited, Signal: 15, Message: "cancelled (scancel)" }, report.ToString());
        await Client.CancelAsync(jobId, CancellationToken.None);
    }

    [RootFact]
    public async Task A_run_over_its_memory_ends_out_of_memory()
    {
        // 300 MB touched under a 100 MB job cgroup.
        var launch = Launch(_ => "python3 -c 'x = bytearray(300 * 1024 * 1024); print(len(x))'", memoryBytes: 100L * 1024 * 1024);

        var jobId = await Client.SubmitAsync(SlurmSubmission.For(launch, null), CancellationToken.None);
        var report = SlurmEnds.Report(launch.RunId, await JobAsync(jobId, j => j.Ended));

        Assert.True(report is { Phase: BackendRunPhase.Exited, OutOfMemory: true }, report.ToString());
    }

    [RootFact]
    public async Task A_run_whose_working_directory_is_missing_fails_saying_so_instead_of_running_elsewhere()
    {
        var launch = Launch(id => $"touch ran-{id}") with { WorkingDirectory = Path.Combine(Cluster.Home, "gone") };

        var jobId = await Client.SubmitAsync(SlurmSubmission.For(launch, null), CancellationToken.None);
        var report = SlurmEnds.Report(launch.RunId, await JobAsync(jobId, j => j.Ended));

        Assert.Equal(1, report.ExitCode);
        Assert.Contains("cannot change to the working directory", await File.ReadAllTextAsync(launch.StderrPath!), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles("/tmp", $"ran-{launch.RunId}"));
    }

    [RootFact]
    public async Task A_submission_the_engine_refuses_is_an_error_naming_the_job_the_user_and_what_sbatch_said()
    {
        var launch = Launch(_ => "true");

        var e = await Assert.ThrowsAsync<SlurmCommandException>(() => Client.SubmitAsync(SlurmSubmission.For(launch, "nosuchpartition"), CancellationToken.None));

        Assert.Contains($"sbatch --job-name={SlurmSubmission.NameOf(launch.RunId)} as {Cluster.User}", e.Message, StringComparison.Ordinal);
        Assert.Contains("invalid partition", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [RootFact]
    public async Task The_jobcomp_file_records_an_end_once_and_a_forged_line_makes_it_unreadable_not_wrong()
    {
        var launch = Launch(_ => "exit 4");
        var jobId = await Client.SubmitAsync(SlurmSubmission.For(launch, null), CancellationToken.None);
        await JobAsync(jobId, j => j.Ended);
        var recorded = await Client.FindJobCompAsync(jobId, CancellationToken.None);
        var offset = (await Client.ReadJobCompAsync(0, CancellationToken.None)).NextOffset;

        // Another job of the same user, named so that its record writes a whole line that looks like the first job's.
        var id = jobId.ToString(CultureInfo.InvariantCulture);
        var forgedName = $"x\nJobId={id} UserId={Cluster.User}({Cluster.Uid}) GroupId=g(1) Name={SlurmSubmission.NameOf(launch.RunId)} JobState=COMPLETED Partition=tools TimeLimit=UNLIMITED StartTime=2026-01-01T00:00:00 EndTime=2026-01-01T00:00:01 NodeList=n NodeCnt=1 ProcCnt=1 WorkDir=/ ReservationName= Tres=cpu=1 Account= QOS= WcKey= Cluster=unknown SubmitTime=2026-01-01T00:00:00 EligibleTime=2026-01-01T00:00:00 DerivedExitCode=0:0 ExitCode=0:0\ny";
        var forger = await Client.SubmitAsync(SlurmSubmission.For(Launch(_ => "exit 0"), null) with { JobName = forgedName }, CancellationToken.None);
        await JobAsync(forger, j => j.Ended);
        var read = await Eventually.FoundAsync("the forger's lines", async () => await Client.ReadJobCompAsync(offset, CancellationToken.None) is { Unreadable: > 0 } r ? r : null);

        Assert.True(recorded is { State: "FAILED", ExitCode: 4, Signal: 0 }, recorded?.ToString());
        Assert.Equal(jobId, Assert.Single(read.Records).JobId);
        Assert.Null(await Client.FindJobCompAsync(jobId, CancellationToken.None));
    }

    [RootFact]
    public async Task Nodes_have_their_partitions_and_cpus_and_a_drained_node_takes_no_work()
    {
        var nodes = SlurmNodes.Capacity(await Client.ListNodesAsync(CancellationToken.None), _slurm.DefaultPartition);
        await Cluster.RunAsync("drain", "1");
        IReadOnlyList<NodeCapacity> drained;
        try
        {
            drained = SlurmNodes.Capacity(await Client.ListNodesAsync(CancellationToken.None), _slurm.DefaultPartition);
        }
        finally
        {
            await Cluster.RunAsync("resume", "1");
        }

        Assert.Equal([(Cluster.Node1, "default", true), (Cluster.Node2, "dedicated,default", true)], nodes.Select(n => (n.Name, string.Join(',', n.Queues), n.Up)));
        Assert.Equal([Cluster.Environment["TOOLGRID_GRID_NODE1_ADDR"], Cluster.Environment["TOOLGRID_GRID_NODE2_ADDR"]], nodes.Select(n => n.Address));
        Assert.All(nodes, n => Assert.True(n.Slots > 0 && n.CpuMillis > 0 && n.MemoryBytes > 0, n.ToString()));
        Assert.Equal([false, true], drained.Select(n => n.Up));
    }

    [RootFact]
    public async Task A_run_on_a_node_that_dies_is_lost_on_that_node()
    {
        var launch = Launch(id => $"touch started-{id}; exec sleep 1000");
        var jobId = await Client.SubmitAsync(SlurmSubmission.For(launch, "dedicated"), CancellationToken.None);
        await StartedAsync(launch);
        await Cluster.RunAsync("kill-node", "2");
        BackendRunReport report;
        IReadOnlyList<SlurmNode> nodes;
        try
        {
            report = SlurmEnds.Report(launch.RunId, await JobAsync(jobId, j => j.Ended));
            nodes = await Client.ListNodesAsync(CancellationToken.None);
        }
        finally
        {
            await Cluster.RunAsync("revive-node", "2");
        }

        Assert.Equal((BackendRunPhase.Lost, Cluster.Node2), (report.Phase, report.Node));
        Assert.Contains("NODE_FAIL", report.Message, StringComparison.Ordinal);
        Assert.False(nodes.Single(n => n.Name == Cluster.Node2).TakesWork);
    }

    private RunLaunch Launch(Func<long, string> command, IReadOnlyDictionary<string, string>? environment = null, long memoryBytes = 0)
    {
        var runId = RandomNumberGenerator.GetInt32(1, int.MaxValue);
        return Launches.Of(runId, command(runId), Cluster.Home, Cluster.User, Cluster.Uid, Cluster.Uid, environment, memoryBytes);
    }

    private Task StartedAsync(RunLaunch launch) =>
        Eventually.FileAsync($"run {launch.RunId} started", Path.Combine(Cluster.Home, $"started-{launch.RunId}"));

    private Task<SlurmJob> JobAsync(long jobId, Func<SlurmJob, bool> condition) =>
        Eventually.FoundAsync($"job {jobId} as awaited", async () => (await Client.ListJobsAsync(CancellationToken.None)).SingleOrDefault(j => j.Id == jobId && condition(j)));
}
