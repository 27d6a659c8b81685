using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
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
    public async Task An_end_is_read_when_slurmctld_writes_its_jobcomp_record_not_at_the_next_tick()
    {
        var launch = Launch(id => $"until [ -e go-{id} ]; do sleep 0.1; done; exit 4");
        await _backend.StartAsync(launch, CancellationToken.None);
        await ReportAsync(launch.RunId, BackendRunPhase.Running);
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var watching = New(time);

        var exited = await EndOnWrite.WatchAsync(watching, time, PollInterval, launch.RunId, () => File.WriteAllTextAsync(Path.Combine(Cluster.Home, $"go-{launch.RunId}"), string.Empty));

        Assert.Equal(4, exited.ExitCode);
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
        // A grace period as long as the test's patience: SIGKILL wins only where the test would time out anyway.
        await _backend.StopAsync(launch.RunId, Eventually.Patience, CancellationToken.None);
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
    public async Task A_run_of_another_queue_runs_in_the_partition_of_that_name()
    {
        var launch = Launch(id => "hostname", queue: "dedicated");

        await _backend.StartAsync(launch, CancellationToken.None);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);

        Assert.Equal((0, Cluster.Node2), (exited.ExitCode, exited.Node));
    }

    [RootFact]
    public async Task A_run_whose_node_dies_is_reported_lost_on_that_node()
    {
        var launch = Launch(id => $"touch started-{id}; exec sleep 1000", queue: "dedicated");
        await _backend.StartAsync(launch, CancellationToken.None);
        await StartedAsync(launch);

        await Cluster.RunAsync("kill-node", "2");
        BackendRunReport lost;
        try
        {
            lost = await ReportAsync(launch.RunId, BackendRunPhase.Lost);
        }
        finally
        {
            await Cluster.RunAsync("revive-node", "2");
        }

        Assert.Equal(Cluster.Node2, lost.Node);
        Assert.True(lost.NodeLost, lost.ToString());
        Assert.Contains($"its node {Cluster.Node2} stopped answering", lost.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task While_slurmctld_is_down_a_start_waits_for_the_grid_runs_on_nodes_go_on_and_it_starts_once_when_slurmctld_is_back()
    {
        var seen = await MasterDown.RunAsync(_backend, Cluster.Home, command => Launch(command), verb => Cluster.RunAsync(verb), ReportAsync);
        var jobs = (await _slurm.Client.ListJobsAsync(CancellationToken.None)).Count(j => j.Name == SlurmSubmission.NameOf(seen.WaitingEnded.RunId));

        Assert.StartsWith("waiting for the grid: Slurm's slurmctld does not answer", seen.First.Message, StringComparison.Ordinal);
        Assert.StartsWith("waiting for the grid: Slurm's slurmctld does not answer", seen.Again.Message, StringComparison.Ordinal);
        Assert.Contains(seen.Warned, w => w.StartsWith("Slurm's slurmctld has not answered", StringComparison.Ordinal));
        Assert.Empty(seen.WarnedAfter);
        Assert.Equal((5, 0, 1), (seen.OnNodeEnded.ExitCode, seen.WaitingEnded.ExitCode, jobs));
    }

    [RootFact]
    public async Task A_start_the_engine_refuses_still_fails_with_its_message()
    {
        var e = await Assert.ThrowsAsync<SlurmCommandException>(() => _backend.StartAsync(Launch(id => "true", queue: "nosuchpartition"), CancellationToken.None));

        Assert.Contains("nosuchpartition", e.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task A_job_cancelled_with_scancel_outside_Toolgrid_ends_removed_outside()
    {
        var launch = Launch(id => $"touch started-{id}; exec sleep 1000");
        await _backend.StartAsync(launch, CancellationToken.None);
        await StartedAsync(launch);

        await _slurm.Client.CancelAsync(long.Parse(await File.ReadAllTextAsync(Path.Combine(_state, launch.RunId.ToString(System.Globalization.CultureInfo.InvariantCulture))), System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);

        Assert.True(exited.RemovedOutside, exited.ToString());
        Assert.StartsWith("removed outside Toolgrid: job ", exited.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task A_job_submitted_with_sbatch_outside_Toolgrid_is_listed_as_outside_its_runs_are_not()
    {
        var ours = Launch(id => $"until [ -e go-{id} ]; do sleep 0.1; done");
        await _backend.StartAsync(ours, CancellationToken.None);

        // A job the tool's user submits by hand, under a name of Toolgrid's own kind: no record maps it to a run.
        var byHand = Launch(id => $"until [ -e go-{id} ]; do sleep 0.1; done");
        var jobId = await _slurm.Client.SubmitAsync(SlurmSubmission.For(byHand, null), CancellationToken.None);
        try
        {
            var outside = await Eventually.FoundAsync("the job listed as outside", async () =>
            {
                await _backend.ListAsync(CancellationToken.None);
                return _backend.OutsideJobs?.SingleOrDefault(j => j.JobId == jobId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            });

            Assert.Equal((SlurmSubmission.NameOf(byHand.RunId), Cluster.User, (int?)Cluster.Uid), (outside.Name, outside.Owner, outside.Uid));
            var ourJob = await File.ReadAllTextAsync(Path.Combine(_state, ours.RunId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.DoesNotContain(_backend.OutsideJobs!, j => j.JobId == ourJob.Trim());
        }
        finally
        {
            await _slurm.Client.CancelAsync(jobId, CancellationToken.None);
            await File.WriteAllTextAsync(Path.Combine(Cluster.Home, $"go-{ours.RunId}"), string.Empty);
        }

        await ReportAsync(ours.RunId, BackendRunPhase.Exited);
    }

    [RootFact]
    public async Task The_watch_goes_on_when_reading_Slurm_fails_and_reports_what_it_missed()
    {
        // A client whose squeue is missing at first: every read fails until it is there. Beside
        // the home, not in the root-only state directory: sbatch runs as the tool's user.
        var bin = Path.Combine(Cluster.Root, "bin-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(bin);
        try
        {
            await WatchThroughAsync(bin);
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
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
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited, TimeSpan.FromMinutes(4));

        Assert.True(exited is { TimedOut: true, OutOfMemory: false }, exited.ToString());
    }

    private async Task WatchThroughAsync(string bin)
    {
        foreach (var program in new[] { "sbatch", "scancel", "sinfo", "scontrol" })
        {
            File.CreateSymbolicLink(Path.Combine(bin, program), Path.Combine("/usr/bin", program));
        }

        var client = new SlurmClient(_slurm.Settings with { BinDirectory = bin }, TimeProvider.System, TimeSpan.FromSeconds(30));
        var logger = new ListLogger();
        using var backend = new SlurmBackend(client, Settings(Path.Combine(_state, "watched")), TimeProvider.System, logger);
        var launch = Launch(id => "exit 4");
        await backend.StartAsync(launch, CancellationToken.None);
        using var cancel = new CancellationTokenSource(Eventually.Patience);
        await using var watch = backend.WatchAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        var next = watch.MoveNextAsync().AsTask();

        await Eventually.FoundAsync("a failed read logged", () => Task.FromResult(logger.Warnings.FirstOrDefault(w => w.Contains("Reading Slurm failed", StringComparison.Ordinal))));
        File.CreateSymbolicLink(Path.Combine(bin, "squeue"), "/usr/bin/squeue");
        Assert.True(await next, "the watch ended");
        while (watch.Current.Phase is BackendRunPhase.Waiting or BackendRunPhase.Running)
        {
            Assert.True(await watch.MoveNextAsync(), "the watch ended");
        }

        Assert.Equal((launch.RunId, BackendRunPhase.Exited, 4), (watch.Current.RunId, watch.Current.Phase, watch.Current.ExitCode));
    }

    [RootFact]
    public async Task A_drained_node_takes_no_new_run_keeps_its_running_one_and_resume_undoes_it()
    {
        // Both nodes take work; a run that waits goes to one of them, then that node is drained.
        var first = Launch(id => $"until [ -e go-{id} ]; do sleep 0.1; done");
        await _backend.StartAsync(first, CancellationToken.None);
        var node = (await ReportAsync(first.RunId, BackendRunPhase.Running)).Node!;
        var other = node == Cluster.Node1 ? Cluster.Node2 : Cluster.Node1;
        try
        {
            await _backend.DrainAsync(node, "kernel upgrade", CancellationToken.None);
            var drained = (await _backend.GetNodesAsync(CancellationToken.None)).Single(n => n.Name == node);
            var second = Launch(id => "true");
            await _backend.StartAsync(second, CancellationToken.None);
            var exited = await ReportAsync(second.RunId, BackendRunPhase.Exited);
            var stillRunning = (await _backend.ListAsync(CancellationToken.None)).Single(r => r.RunId == first.RunId);

            Assert.Equal((true, false), (drained.Drained, drained.Up));
            Assert.Equal((0, other), (exited.ExitCode, exited.Node));
            Assert.Equal((BackendRunPhase.Running, node), (stillRunning.Phase, stillRunning.Node));
        }
        finally
        {
            await _backend.ResumeAsync(node, CancellationToken.None);
            await File.WriteAllTextAsync(Path.Combine(Cluster.Home, $"go-{first.RunId}"), string.Empty);
        }

        // slurmctld applies the resume on its own time: the node takes work again soon after.
        var resumed = await Eventually.FoundAsync($"{node} taking work again", async () => (await _backend.GetNodesAsync(CancellationToken.None)).SingleOrDefault(n => n.Name == node && n.Up));
        Assert.False(resumed.Drained);
        await ReportAsync(first.RunId, BackendRunPhase.Exited);
    }

    [RootFact]
    public Task A_run_the_engine_holds_pending_is_listed_waiting_with_no_node_and_runs_once_its_queue_has_a_node() =>
        EngineChecks.PendingUntilItsQueueHasANodeAsync(_backend, Cluster, Launch(id => "true", queue: "dedicated"), ReportAsync);

    [RootFact]
    public Task Draining_an_unknown_node_is_refused_and_changes_nothing() => EngineChecks.DrainingAnUnknownNodeIsRefusedAsync(_backend);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private SlurmBackend New(TimeProvider? time = null) => new(_slurm.Client, Settings(_state), time ?? TimeProvider.System, NullLogger<SlurmBackend>.Instance);

    private SlurmBackendSettings Settings(string state) =>
        new(state, RootFactAttribute.IsRoot ? _slurm.DefaultPartition : "tools", PollInterval, TimeSpan.FromSeconds(10));

    private RunLaunch Launch(Func<long, string> command, string queue = "default")
    {
        var runId = RandomNumberGenerator.GetInt32(1, int.MaxValue);
        return Launches.Of(runId, command(runId), Cluster.Home, Cluster.User, Cluster.Uid, Cluster.Uid, queue: queue);
    }

    private Task StartedAsync(RunLaunch launch) =>
        Eventually.FileAsync($"run {launch.RunId} started", Path.Combine(Cluster.Home, $"started-{launch.RunId}"));

    private Task<BackendRunReport> ReportAsync(long runId, BackendRunPhase phase) => ReportAsync(runId, phase, Eventually.Patience);

    private Task<BackendRunReport> ReportAsync(long runId, BackendRunPhase phase, TimeSpan patience) =>
        Eventually.FoundAsync($"{phase} report of run {runId}", async () => (await _backend.ListAsync(CancellationToken.None)).SingleOrDefault(r => r.RunId == runId && r.Phase == phase), patience);
}
