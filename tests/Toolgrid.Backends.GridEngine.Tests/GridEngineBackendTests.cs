using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Toolgrid.Core.Backends;

using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.GridEngine.Tests;

/// <summary>The backend's one-off runs on a real SGE cluster: start, list, stop, forget, at most one submission per run.</summary>
[Collection(SgeCluster.Name)]
public sealed class GridEngineBackendTests : IDisposable
{
    private readonly SgeClusterFixture _sge;
    private readonly string _state;
    private readonly GridEngineBackend _backend;

    public GridEngineBackendTests(SgeClusterFixture sge)
    {
        _sge = sge;
        _state = Path.Combine(RootFactAttribute.IsRoot ? sge.Cluster.Root : Path.GetTempPath(), "state-" + Guid.NewGuid().ToString("N"));
        _backend = New();
    }

    private TestCluster Cluster => _sge.Cluster;

    public void Dispose()
    {
        _backend.Dispose();
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
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
        Assert.Equal((3, running.Node), (exited.ExitCode, exited.Node));
        Assert.DoesNotContain(await _backend.ListAsync(CancellationToken.None), r => r.RunId == launch.RunId);
    }

    [RootFact]
    public async Task An_end_is_read_when_the_qmaster_writes_its_accounting_record_not_at_the_next_tick()
    {
        var launch = Launch(id => $"until [ -e go-{id} ]; do sleep 0.1; done; exit 4");
        await _backend.StartAsync(launch, CancellationToken.None);
        await ReportAsync(launch.RunId, BackendRunPhase.Running);
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var watching = New(time: time);

        var exited = await EndOnWrite.WatchAsync(watching, time, PollInterval, launch.RunId, () => File.WriteAllTextAsync(Path.Combine(Cluster.Home, $"go-{launch.RunId}"), string.Empty));

        Assert.Equal(4, exited.ExitCode);
    }

    [RootFact]
    public async Task A_run_goes_to_the_cluster_queue_of_its_jobs_queue_and_SGE_chooses_the_node()
    {
        // The cluster's dedicated queue is on node 2 only.
        var launch = Launch(id => "true", queue: "dedicated");

        await _backend.StartAsync(launch, CancellationToken.None);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);

        Assert.Null(launch.Node);
        Assert.Equal((0, Cluster.Node2), (exited.ExitCode, exited.Node));
    }

    [RootFact]
    public async Task A_run_kept_off_silent_hosts_goes_to_another_and_runs_all_the_same_when_every_host_is_to_avoid()
    {
        // As the backend submits while its probe finds execds silent (taken up from .submitting,
        // as after a crash): a wrong "every host silent" (a login host too busy to see a connect)
        // must not leave the run pending for good.
        var everyHost = Launch(id => "true");
        var offNode1 = Launch(id => "true");
        Directory.CreateDirectory(_state);
        foreach (var (launch, avoid) in new[] { (everyHost, new[] { Cluster.Node1, Cluster.Node2 }), (offNode1, new[] { Cluster.Node1 }) })
        {
            await File.WriteAllTextAsync(Path.Combine(_state, $"{launch.RunId}.submitting"), launch.UnixUser);
            await _sge.Client.SubmitAsync(SgeSubmission.For(launch, "default") with { AvoidHosts = avoid }, CancellationToken.None);
            await _backend.StartAsync(launch, CancellationToken.None);
        }

        var ranAnyway = await ReportAsync(everyHost.RunId, BackendRunPhase.Exited);
        var keptOff = await ReportAsync(offNode1.RunId, BackendRunPhase.Exited);

        Assert.Equal(0, ranAnyway.ExitCode);
        Assert.Equal((0, Cluster.Node2), (keptOff.ExitCode, keptOff.Node));
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

        var jobs = (await _sge.Client.ReadStateAsync(CancellationToken.None)).Jobs.Where(j => j.Name == SgeSubmission.NameOf(launch.RunId)).ToList();
        await File.WriteAllTextAsync(Path.Combine(Cluster.Home, $"go-{launch.RunId}"), string.Empty);
        await ReportAsync(launch.RunId, BackendRunPhase.Exited);
        Assert.Single(jobs);
    }

    [RootFact]
    public async Task A_submission_cut_short_by_a_crash_is_taken_up_not_repeated()
    {
        var launch = Launch(id => $"until [ -e go-{id} ]; do sleep 0.1; done");
        // As toolgridd leaves it when it dies after qsub and before the record: the job exists, the record does not.
        Directory.CreateDirectory(_state);
        await File.WriteAllTextAsync(Path.Combine(_state, $"{launch.RunId}.submitting"), launch.UnixUser);
        var jobNumber = await _sge.Client.SubmitAsync(SgeSubmission.For(launch, "default"), CancellationToken.None);

        await _backend.StartAsync(launch, CancellationToken.None);
        var jobs = (await _sge.Client.ReadStateAsync(CancellationToken.None)).Jobs.Where(j => j.Name == SgeSubmission.NameOf(launch.RunId)).ToList();
        await File.WriteAllTextAsync(Path.Combine(Cluster.Home, $"go-{launch.RunId}"), string.Empty);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);

        Assert.Equal(jobNumber, Assert.Single(jobs).Number);
        Assert.Equal(0, exited.ExitCode);
    }

    [RootFact]
    public async Task Stop_ends_the_run_by_SIGTERM_and_says_it_was_stopped()
    {
        // A grace period as long as the test's patience: the job script's SIGKILL wins only where the test would time out anyway.
        var launch = Launch(id => $"touch started-{id}; exec sleep 1000", grace: Eventually.Patience);

        await _backend.StartAsync(launch, CancellationToken.None);
        await Eventually.FileAsync("the command started", Path.Combine(Cluster.Home, $"started-{launch.RunId}"));
        await _backend.StopAsync(launch.RunId, Eventually.Patience, CancellationToken.None);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);

        Assert.True(exited is { Signal: 15, Message: "stopped" }, exited.ToString());
    }

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
    public async Task A_run_past_its_timeout_is_stopped_by_the_engine_and_ends_timed_out()
    {
        // The grace period as in the stop above; the timeout short, since the test waits for it.
        var launch = Launch(id => $"touch started-{id}; exec sleep 1000", grace: Eventually.Patience) with { Timeout = TimeSpan.FromSeconds(2) };

        await _backend.StartAsync(launch, CancellationToken.None);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);

        // SIGTERM from the job script at h_rt ends sleep; the script passes that signal on. On a busy
        // node h_rt (2 s) can come before the script has set its trap, and before the command ran:
        // then SGE's SIGUSR2 itself ends the script.
        var started = File.Exists(Path.Combine(Cluster.Home, $"started-{launch.RunId}"));
        Assert.True(exited is { TimedOut: true, OutOfMemory: false, ExitCode: null } && (exited.Signal == 15 || (!started && exited.Signal == 12)), exited.ToString());
        Assert.Equal("ran past its timeout of 2s (h_rt) and was stopped", exited.Message);
    }

    [RootFact]
    public async Task While_the_qmaster_is_down_a_start_waits_for_the_grid_runs_on_nodes_go_on_and_it_starts_once_when_the_qmaster_is_back()
    {
        var seen = await Toolgrid.Tests.Grid.MasterDown.RunAsync(_backend, Cluster.Home, command => Launch(command), verb => Cluster.RunAsync(verb), ReportAsync);
        var jobs = (await _sge.Client.ReadAccountingAsync(0, CancellationToken.None)).Records.Count(r => r.JobName == SgeSubmission.NameOf(seen.WaitingEnded.RunId));

        Assert.StartsWith("waiting for the grid: Grid Engine's qmaster ", seen.First.Message, StringComparison.Ordinal);
        Assert.Contains("does not answer", seen.First.Message, StringComparison.Ordinal);
        Assert.StartsWith(seen.First.Message[..seen.First.Message.IndexOf(" does not answer", StringComparison.Ordinal)], seen.Again.Message, StringComparison.Ordinal);
        Assert.Contains(seen.Warned, w => w.StartsWith("Grid Engine's qmaster", StringComparison.Ordinal));
        Assert.Empty(seen.WarnedAfter);
        Assert.Equal((5, 0, 1), (seen.OnNodeEnded.ExitCode, seen.WaitingEnded.ExitCode, jobs));
    }

    [RootFact]
    public async Task A_start_the_engine_refuses_still_fails_with_its_message()
    {
        var e = await Assert.ThrowsAsync<SgeCommandException>(() => _backend.StartAsync(Launch(id => "true", queue: "nosuchqueue"), CancellationToken.None));

        Assert.Contains("nosuchqueue", e.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task A_job_deleted_with_qdel_outside_Toolgrid_ends_removed_outside()
    {
        var launch = Launch(id => $"touch started-{id}; exec sleep 1000");
        await _backend.StartAsync(launch, CancellationToken.None);
        await Eventually.FileAsync("the command started", Path.Combine(Cluster.Home, $"started-{launch.RunId}"));

        await _sge.Client.DeleteAsync(JobNumberOf(launch.RunId), CancellationToken.None);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);

        Assert.True(exited.RemovedOutside, exited.ToString());
        Assert.StartsWith("removed outside Toolgrid: job ", exited.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task A_job_submitted_with_qsub_outside_Toolgrid_is_listed_as_outside_its_runs_are_not()
    {
        var ours = Launch(id => $"until [ -e go-{id} ]; do sleep 0.1; done");
        await _backend.StartAsync(ours, CancellationToken.None);

        // A job the tool's user submits by hand, under a name of Toolgrid's own kind: no record maps it to a run.
        var byHand = Launch(id => $"until [ -e go-{id} ]; do sleep 0.1; done");
        var jobNumber = await _sge.Client.SubmitAsync(SgeSubmission.For(byHand, "default"), CancellationToken.None);
        try
        {
            var outside = await Eventually.FoundAsync("the job listed as outside", async () =>
            {
                await _backend.ListAsync(CancellationToken.None);
                return _backend.OutsideJobs?.SingleOrDefault(j => j.JobId == jobNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
            });

            Assert.Equal((SgeSubmission.NameOf(byHand.RunId), Cluster.User), (outside.Name, outside.Owner));
            Assert.DoesNotContain(_backend.OutsideJobs!, j => j.JobId == JobNumberOf(ours.RunId).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            await _sge.Client.DeleteAsync(jobNumber, CancellationToken.None);
            await File.WriteAllTextAsync(Path.Combine(Cluster.Home, $"go-{ours.RunId}"), string.Empty);
        }

        await ReportAsync(ours.RunId, BackendRunPhase.Exited);
    }

    [RootFact]
    public async Task A_run_whose_node_stops_answering_is_lost_naming_the_node_and_its_job_is_deleted()
    {
        var launch = Launch(id => $"touch started-{id}; exec sleep 1000");
        using var backend = New(TimeSpan.FromSeconds(5));

        // On node 1: node 2 takes no new work while the run is placed.
        await Cluster.RunAsync("drain", "2");
        try
        {
            await backend.StartAsync(launch, CancellationToken.None);
            await Eventually.FoundAsync("the run on node 1", async () => (await backend.ListAsync(CancellationToken.None)).SingleOrDefault(r => r.RunId == launch.RunId && r.Node == Cluster.Node1));
        }
        finally
        {
            await Cluster.RunAsync("resume", "2");
        }

        BackendRunReport lost;
        IReadOnlyList<string> left;
        await Cluster.RunAsync("kill-node", "1");
        try
        {
            lost = await Eventually.FoundAsync("the lost report", async () => (await backend.ListAsync(CancellationToken.None)).SingleOrDefault(r => r.RunId == launch.RunId && r.Phase == BackendRunPhase.Lost));
            left = (await _sge.Client.ReadStateAsync(CancellationToken.None)).Jobs.Where(j => j.Name == SgeSubmission.NameOf(launch.RunId)).Select(j => j.State).ToList();
        }
        finally
        {
            await Cluster.RunAsync("revive-node", "1");
        }

        var onNode = await Cluster.RunAsync("on-node", "1", "ps", "-eo", "user:40,args");
        Assert.True(lost is { NodeLost: true }, lost.ToString());
        Assert.Equal(Cluster.Node1, lost.Node);
        Assert.StartsWith($"its node {Cluster.Node1} stopped answering", lost.Message, StringComparison.Ordinal);
        Assert.Empty(left);
        Assert.DoesNotContain(Cluster.User, onNode, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task With_the_execd_probe_a_run_whose_execd_dies_is_lost_naming_it_and_the_next_run_keeps_off_that_node()
    {
        var launch = Launch(id => "exec sleep 1000");
        using var backend = New(TimeSpan.FromSeconds(1), probeExecds: true);
        await Cluster.RunAsync("drain", "2");
        try
        {
            await backend.StartAsync(launch, CancellationToken.None);
            await Eventually.FoundAsync("the run on node 1, its execd heard by the probe", async () => (await backend.ListAsync(CancellationToken.None)).SingleOrDefault(r => r.RunId == launch.RunId && r.Node == Cluster.Node1 && backend.ExecdsHeard.Contains(Cluster.Node1)));
        }
        finally
        {
            await Cluster.RunAsync("resume", "2");
        }

        BackendRunReport lost;
        NodeCapacity deadNode;
        BackendRunReport next;
        await Cluster.RunAsync("kill-node", "1");
        try
        {
            lost = await Eventually.FoundAsync("the lost report", async () => (await backend.ListAsync(CancellationToken.None)).SingleOrDefault(r => r.RunId == launch.RunId && r.Phase == BackendRunPhase.Lost));
            deadNode = (await backend.GetNodesAsync(CancellationToken.None)).Single(n => n.Name == Cluster.Node1);

            // Submitted while the probe finds node 1 silent: kept off it, whatever the qmaster still says of it.
            var second = Launch(id => "true");
            await backend.StartAsync(second, CancellationToken.None);
            var secondName = SgeSubmission.NameOf(second.RunId);
            var secondSeen = string.Empty;
            try
            {
                next = await Eventually.FoundAsync("the next run's end", async () =>
                {
                    var reports = await backend.ListAsync(CancellationToken.None);
                    var jobs = (await _sge.Client.ReadStateAsync(CancellationToken.None)).Jobs.Where(j => j.Name == secondName);
                    secondSeen = $"reported {string.Join("; ", reports.Where(r => r.RunId == second.RunId).Select(r => $"{r.Phase} on {r.Node}: {r.Message}"))}, qstat {string.Join("; ", jobs.Select(j => $"{j.State} on {j.Node}"))}, heard {string.Join(",", backend.ExecdsHeard)}";
                    return reports.SingleOrDefault(r => r.RunId == second.RunId && r.Phase == BackendRunPhase.Exited);
                });
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException(e.Message + ": " + secondSeen, e);
            }
        }
        finally
        {
            await Cluster.RunAsync("revive-node", "1");
        }

        // Its job is deleted once the execd answers again (a qdel -f before the qmaster marks the
        // node unknown would crash the qmaster): gone from qstat, and the backend's reads go on.
        var jobName = SgeSubmission.NameOf(launch.RunId);
        var seen = string.Empty;
        try
        {
            await Eventually.FoundAsync("the lost run's job deleted", async () =>
            {
                await backend.ListAsync(CancellationToken.None);
                var left = (await _sge.Client.ReadStateAsync(CancellationToken.None)).Jobs.Where(j => j.Name == jobName).ToList();
                seen = string.Join("; ", left.Select(j => $"{j.State} on {j.Node}")) + $" heard {string.Join(",", backend.ExecdsHeard)} reap files {string.Join(",", Directory.EnumerateFiles(_state, "*.reap").Select(Path.GetFileName))}";
                return left.Count > 0 ? null : "gone";
            });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + ": " + seen, e);
        }

        // With no run left, the node the probe found silent is heard again: up, and no longer kept off.
        await backend.ForgetAsync(launch.RunId, CancellationToken.None);
        await backend.ForgetAsync(next.RunId, CancellationToken.None);
        await Eventually.FoundAsync("node 1 up again", async () =>
        {
            await backend.ListAsync(CancellationToken.None);
            return (await backend.GetNodesAsync(CancellationToken.None)).SingleOrDefault(n => n.Name == Cluster.Node1 && n.Up);
        });

        Assert.True(lost is { NodeLost: true }, lost.ToString());
        Assert.Contains("its execd did not take a connection on port", lost.Message, StringComparison.Ordinal);
        Assert.False(deadNode.Up);
        Assert.Equal((0, Cluster.Node2), (next.ExitCode, next.Node));
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

        var resumed = (await _backend.GetNodesAsync(CancellationToken.None)).Single(n => n.Name == node);
        Assert.Equal((false, true), (resumed.Drained, resumed.Up));
        await ReportAsync(first.RunId, BackendRunPhase.Exited);
    }

    [RootFact]
    public Task A_run_the_engine_holds_pending_is_listed_waiting_with_no_node_and_runs_once_its_queue_has_a_node() =>
        EngineChecks.PendingUntilItsQueueHasANodeAsync(_backend, Cluster, Launch(id => "true", queue: "dedicated"), ReportAsync);

    [RootFact]
    public Task Draining_an_unknown_node_is_refused_and_changes_nothing() => EngineChecks.DrainingAnUnknownNodeIsRefusedAsync(_backend);

    [RootFact]
    public async Task Nodes_are_the_clusters_execution_hosts() =>
        Assert.Equal([Cluster.Node1, Cluster.Node2], (await _backend.GetNodesAsync(CancellationToken.None)).Select(n => n.Name));

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private GridEngineBackend New(TimeSpan? nodeLostAfter = null, TimeProvider? time = null, bool probeExecds = false) =>
        new(
            _sge.Client,
            new GridEngineBackendSettings(_state, "default", PollInterval, TimeSpan.FromSeconds(10), nodeLostAfter ?? new GridEngineBackendOptions().NodeLostAfter, probeExecds ? int.Parse(Cluster.Environment["SGE_EXECD_PORT"], System.Globalization.CultureInfo.InvariantCulture) : null),
            time ?? TimeProvider.System,
            NullLogger<GridEngineBackend>.Instance);

    private long JobNumberOf(long runId) => long.Parse(File.ReadAllText(Path.Combine(_state, runId.ToString(System.Globalization.CultureInfo.InvariantCulture))), System.Globalization.CultureInfo.InvariantCulture);

    private RunLaunch Launch(Func<long, string> command, string queue = "default", TimeSpan? grace = null)
    {
        var runId = RandomNumberGenerator.GetInt32(1, int.MaxValue);
        return Launches.Of(runId, command(runId), Cluster.Home, Cluster.User, Cluster.Uid, Cluster.Uid, grace: grace, queue: queue);
    }

    private Task<BackendRunReport> ReportAsync(long runId, BackendRunPhase phase) =>
        Eventually.FoundAsync($"{phase} report of run {runId}", async () => (await _backend.ListAsync(CancellationToken.None)).SingleOrDefault(r => r.RunId == runId && r.Phase == phase));
}
