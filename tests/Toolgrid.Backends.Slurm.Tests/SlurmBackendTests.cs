using System.Security.Cryptography;
using Toolgrid.Core.Backends;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.Slurm.Tests;

/// <summary>The backend's one-off runs on a real Slurm cluster: start, list, stop, forget, at most one submission per run.</summary>
[Collection(RealSlurmCluster.Name)]
public sealed class SlurmBackendTests : IDisposable
{
    private readonly SlurmClusterFixture _slurm;
    private readonly string _state;
    private readonly SlurmBackend _backend;

    public SlurmBackendTests(SlurmClusterFixture slurm)
    {
        _slurm = slurm;
        _state = Path.Combine(RootFactAttribute.IsRoot ? slurm.Cluster.Root : Path.GetTempPath(), "state-" + Guid.NewGuid().ToString("N"));
        _backend = New();
    }

    private TestCluster Cluster => _slurm.Cluster;

    public void Dispose()
    {
        _backend.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    [RootFact]
    public async Task A_run_is_listed_running_on_its_node_then_with_its_exit_code_until_forgotten()
    {
        var launch = Launch(id => $"until [ -e go-{id} ]; do sleep 0.1; done; exit 3");

        await _backend.StartAsync(launch, CancellationToken.None);
        var running = await ReportAsync(launch.RunId, BackendRunPhase.Running);
        await File.WriteAllTextAsync(Path.Combine(Cluster.Home, $"go-{launch.RunId}"), string.Empty);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);
        await _backend.ForgetAsync(launch.RunId, CancellationToken.None);

        Assert.Contains(running.Node, new[] { Cluster.Node1, Cluster.Node2 });
        Assert.NotNull(running.StartedAt);
        Assert.Equal((3, running.Node), (exited.ExitCode, exited.Node));
        Assert.DoesNotContain(await _backend.ListAsync(CancellationToken.None), r => r.RunId == launch.RunId);
    }

    [RootFact]
    public async Task A_run_is_submitted_once_however_often_and_by_whichever_backend_it_is_started()
    {
        var launch = Launch(id => $"until [ -e go-{id} ]; do sleep 0.1; done");

        await _backend.StartAsync(launch, CancellationToken.None);
        await _backend.StartAsync(launch, CancellationToken.None);
        using (var restarted = New())
        {
            await restarted.StartAsync(launch, CancellationToken.None);
        }

        var jobs = (await _slurm.Client.ListJobsAsync(CancellationToken.None)).Where(j => j.Name == SlurmSubmission.NameOf(launch.RunId)).ToList();
        await File.WriteAllTextAsync(Path.Combine(Cluster.Home, $"go-{launch.RunId}"), string.Empty);
        await ReportAsync(launch.RunId, BackendRunPhase.Exited);
        Assert.Single(jobs);
    }

    [RootFact]
    public async Task A_submission_cut_short_by_a_crash_is_taken_up_not_repeated()
    {
        var launch = Launch(id => $"until [ -e go-{id} ]; do sleep 0.1; done");
        // As toolgridd leaves it when it dies after sbatch and before the record: the job exists, the record does not.
        Directory.CreateDirectory(_state);
        await File.WriteAllTextAsync(Path.Combine(_state, $"{launch.RunId}.submitting"), launch.UnixUser);
        var jobId = await _slurm.Client.SubmitAsync(SlurmSubmission.For(launch, null), CancellationToken.None);

        await _backend.StartAsync(launch, CancellationToken.None);
        var jobs = (await _slurm.Client.ListJobsAsync(CancellationToken.None)).Where(j => j.Name == SlurmSubmission.NameOf(launch.RunId)).ToList();
        await File.WriteAllTextAsync(Path.Combine(Cluster.Home, $"go-{launch.RunId}"), string.Empty);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);

        Assert.Equal(jobId, Assert.Single(jobs).Id);
        Assert.Equal(0, exited.ExitCode);
    }

    [RootFact]
    public async Task Stop_ends_the_run_by_SIGTERM_and_says_it_was_stopped()
    {
        var launch = Launch(id => $"touch started-{id}; exec sleep 1000");

        await _backend.StartAsync(launch, CancellationToken.None);
        await StartedAsync(launch);
        await _backend.StopAsync(launch.RunId, TimeSpan.FromSeconds(30), CancellationToken.None);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);

        Assert.True(exited is { Signal: 15, Message: "stopped" }, exited.ToString());
    }

    [RootFact]
    public async Task Stop_kills_a_run_that_ignores_SIGTERM_once_its_grace_period_is_over()
    {
        var launch = Launch(id => $"trap '' TERM; touch started-{id}; while :; do sleep 0.1; done");

        await _backend.StartAsync(launch, CancellationToken.None);
        await StartedAsync(launch);
        await _backend.StopAsync(launch.RunId, TimeSpan.FromSeconds(1), CancellationToken.None);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);

        Assert.True(exited is { Signal: 9, Message: "stopped" }, exited.ToString());
    }

    [RootFact]
    public async Task Nodes_are_the_clusters_nodes_with_the_default_partition_as_the_default_queue() =>
        Assert.Equal(
            [(Cluster.Node1, "default"), (Cluster.Node2, "dedicated,default")],
            (await _backend.GetNodesAsync(CancellationToken.None)).Select(n => (n.Name, string.Join(',', n.Queues))));

    [RootFact]
    public async Task A_run_with_a_due_time_starts_on_its_node_at_that_time_not_before()
    {
        // Whole seconds: the engine's start time and the node's clock are read to the second.
        var due = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + 6);
        var launch = Launch(id => $"date +%s.%N > began-{id}") with { NotBefore = due };

        await _backend.StartAsync(launch, CancellationToken.None);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);
        var began = double.Parse(await File.ReadAllTextAsync(Path.Combine(Cluster.Home, $"began-{launch.RunId}")), System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(began >= due.ToUnixTimeSeconds(), $"the command began at {began}, before its due time {due.ToUnixTimeSeconds()}");
        Assert.True(exited.StartedAt >= due, $"the run started at {exited.StartedAt:O}, before its due time {due:O}");
    }

    [RootFact]
    public async Task A_run_held_for_its_due_time_is_waiting_and_a_stop_ends_it_before_it_started()
    {
        var launch = Launch(id => $"touch began-{id}") with { NotBefore = TimeProvider.System.GetUtcNow().AddMinutes(10) };

        await _backend.StartAsync(launch, CancellationToken.None);
        var waiting = await ReportAsync(launch.RunId, BackendRunPhase.Waiting);
        await _backend.StopAsync(launch.RunId, TimeSpan.FromSeconds(1), CancellationToken.None);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);

        Assert.Null(waiting.Node);
        Assert.True(exited is { Signal: 15, StartedAt: null, Message: "stopped before it started" }, exited.ToString());
        Assert.DoesNotContain(await _slurm.Client.ListJobsAsync(CancellationToken.None), j => j.Name == SlurmSubmission.NameOf(launch.RunId));
        Assert.False(File.Exists(Path.Combine(Cluster.Home, $"began-{launch.RunId}")));
    }

    [RootFact]
    public async Task A_run_past_its_timeout_is_ended_by_the_engine_as_timed_out()
    {
        // Slurm's time limits are whole minutes: a timeout of 1 s is a limit of 1 minute.
        var launch = Launch(id => "exec sleep 1000") with { Timeout = TimeSpan.FromSeconds(1) };

        await _backend.StartAsync(launch, CancellationToken.None);
        BackendRunReport? exited = null;
        var started = TimeProvider.System.GetTimestamp();
        while (exited is null && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromMinutes(4))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System, CancellationToken.None);
            exited = (await _backend.ListAsync(CancellationToken.None)).SingleOrDefault(r => r.RunId == launch.RunId && r.Phase == BackendRunPhase.Exited);
        }

        Assert.NotNull(exited);
        Assert.True(exited is { TimedOut: true, OutOfMemory: false }, exited.ToString());
    }

    private SlurmBackend New() =>
        new(_slurm.Client, new SlurmBackendSettings(_state, RootFactAttribute.IsRoot ? _slurm.DefaultPartition : "tools", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10)), TimeProvider.System);

    private RunLaunch Launch(Func<long, string> command)
    {
        var runId = RandomNumberGenerator.GetInt32(1, int.MaxValue);
        return Launches.Of(runId, command(runId), Cluster.Home, Cluster.User, Cluster.Uid, Cluster.Uid);
    }

    private Task<string> StartedAsync(RunLaunch launch) =>
        Eventually.FoundAsync($"run {launch.RunId} started", () => Task.FromResult(File.Exists(Path.Combine(Cluster.Home, $"started-{launch.RunId}")) ? "yes" : null));

    private Task<BackendRunReport> ReportAsync(long runId, BackendRunPhase phase) =>
        Eventually.FoundAsync($"{phase} report of run {runId}", async () => (await _backend.ListAsync(CancellationToken.None)).SingleOrDefault(r => r.RunId == runId && r.Phase == phase));
}
