using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Toolgrid.Core.Backends;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.Slurm.Tests;

/// <summary>The backend's interactive runs on a real Slurm cluster: srun on a terminal, its attach, its end, and a restart of toolgridd.</summary>
[Collection(RealSlurmCluster.Name)]
public sealed class SlurmInteractiveTests : IDisposable
{
    private readonly SlurmClusterFixture _slurm;
    private readonly string _state;
    private readonly SlurmBackend _backend;

    public SlurmInteractiveTests(SlurmClusterFixture slurm)
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
    public async Task A_run_on_a_terminal_reads_what_is_typed_on_its_node_follows_resizes_and_ends_with_the_remote_exit_code()
    {
        var launch = Launch("while read x; do [ \"$x\" = q ] && exit 5; echo got-$x on $(hostname) as $(id -un); stty size; done", new TerminalSize(24, 80));

        await _backend.StartAsync(launch, CancellationToken.None);
        var running = await ReportAsync(launch.RunId, BackendRunPhase.Running);
        var output = new StringBuilder();
        await using (var terminal = await _backend.AttachAsync(launch.RunId, CancellationToken.None))
        {
            await terminal.WriteAsync("hello\n"u8.ToArray(), CancellationToken.None);
            await RunTerminals.ReadUntilAsync(terminal, output, "24 80");
            await terminal.ResizeAsync(30, 100, CancellationToken.None);

            // The new size reaches the node through srun: typed again until it shows.
            await Eventually.FoundAsync("the new window size on the node", async () =>
            {
                await terminal.WriteAsync("again\n"u8.ToArray(), CancellationToken.None);
                return await RunTerminals.ReadUntilAsync(terminal, output, "\n", TimeSpan.FromSeconds(5)) && output.ToString().Contains("30 100", StringComparison.Ordinal) ? "seen" : null;
            });
            await terminal.WriteAsync("q\n"u8.ToArray(), CancellationToken.None);
            await RunTerminals.ReadToEndAsync(terminal, output);
        }

        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);
        Assert.Contains(running.Node, new[] { Cluster.Node1, Cluster.Node2 });
        Assert.Contains($"got-hello on {running.Node} as {Cluster.User}", output.ToString(), StringComparison.Ordinal);
        Assert.True(exited is { ExitCode: 5 }, exited.ToString());
        Assert.Equal(running.Node, exited.Node);
    }

    [RootFact]
    public Task Ctrl_d_typed_before_the_remote_command_runs_ends_its_input_not_the_session() =>
        EngineChecks.CtrlDTypedAheadAsync(_backend, Launch(EngineChecks.CatCommand, new TerminalSize(24, 80)), ReportAsync);

    [RootFact]
    public async Task The_environment_of_a_run_is_on_no_command_line_of_the_host_or_the_node_while_its_session_runs()
    {
        var launch = SessionSecrets.With(Launch("true", new TerminalSize(24, 80)), out var secret);

        await _backend.StartAsync(launch, CancellationToken.None);
        await ReportAsync(launch.RunId, BackendRunPhase.Running);
        await SessionSecrets.AssertOnNoCommandLineAsync(_backend, launch, secret);

        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);
        Assert.True(exited is { ExitCode: 3 }, exited.ToString());
    }

    [RootFact]
    public async Task A_run_whose_srun_ended_before_its_attach_stays_running_until_the_attach_has_read_its_output()
    {
        var launch = Launch("echo printed before the attach", terminal: null);

        await _backend.StartAsync(launch, CancellationToken.None);
        await ReportAsync(launch.RunId, BackendRunPhase.Running);
        await Eventually.FoundAsync($"the end of run {launch.RunId}'s srun", () => Task.FromResult(RunTerminals.ClientRuns("--job-name=" + SlurmSubmission.NameOf(launch.RunId)) ? null : "ended"));

        // srun has ended: the run is still running for the session that has yet to attach.
        var unattached = (await _backend.ListAsync(CancellationToken.None)).Single(r => r.RunId == launch.RunId);
        Assert.True(unattached.Phase == BackendRunPhase.Running, unattached.ToString());

        var output = new StringBuilder();
        await using (var terminal = await _backend.AttachAsync(launch.RunId, CancellationToken.None))
        {
            await RunTerminals.ReadToEndAsync(terminal, output);
        }

        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);
        Assert.Contains("printed before the attach", output.ToString(), StringComparison.Ordinal);
        Assert.True(exited is { ExitCode: 0 }, exited.ToString());
    }

    [RootFact]
    public async Task A_run_is_attached_once()
    {
        var launch = Launch("cat", terminal: null);

        await _backend.StartAsync(launch, CancellationToken.None);
        await using var terminal = await _backend.AttachAsync(launch.RunId, CancellationToken.None);

        var e = await Assert.ThrowsAsync<Core.Errors.ToolgridException>(() => _backend.AttachAsync(launch.RunId, CancellationToken.None));
        Assert.Equal("run-not-attachable", e.ErrorCode);
        await terminal.CloseInputAsync(CancellationToken.None);
        await ReportAsync(launch.RunId, BackendRunPhase.Exited);
    }

    [RootFact]
    public async Task A_run_of_a_toolgridd_that_restarted_is_lost_and_its_job_cancelled()
    {
        var launch = Launch("exec sleep 1000", terminal: null);
        await _backend.StartAsync(launch, CancellationToken.None);
        await ReportAsync(launch.RunId, BackendRunPhase.Running);

        using var restarted = New();
        var lost = await Eventually.FoundAsync($"lost report of run {launch.RunId}", async () =>
            (await restarted.ListAsync(CancellationToken.None)).SingleOrDefault(r => r.RunId == launch.RunId && r.Phase == BackendRunPhase.Lost));
        var job = await Eventually.FoundAsync($"the end of run {launch.RunId}'s job", async () =>
            (await _slurm.Client.ListJobsAsync(CancellationToken.None)).SingleOrDefault(j => j.Name == SlurmSubmission.NameOf(launch.RunId) && j.Ended));

        Assert.Contains("toolgridd restarted", lost.Message, StringComparison.Ordinal);
        Assert.Equal("CANCELLED", job.State);
        await restarted.ForgetAsync(launch.RunId, CancellationToken.None);
        await _backend.ForgetAsync(launch.RunId, CancellationToken.None);
    }

    [RootFact]
    public async Task Stop_ends_a_running_interactive_run_and_says_it_was_stopped()
    {
        var launch = Launch("exec sleep 1000", terminal: null);
        await _backend.StartAsync(launch, CancellationToken.None);
        await ReportAsync(launch.RunId, BackendRunPhase.Running);

        // A grace period shorter than the wait: srun's step may not have started when the job is
        // listed running, and a SIGTERM to a step not yet there is lost; the cancel at the end of
        // the grace period then ends it.
        await _backend.StopAsync(launch.RunId, TimeSpan.FromSeconds(10), CancellationToken.None);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);

        Assert.True(exited is { Message: "stopped" } && (exited.Signal is not null || exited.ExitCode is not 0), exited.ToString());
    }

    [RootFact]
    public async Task A_run_srun_cannot_place_fails_to_start_saying_why()
    {
        var launch = Launch("true", terminal: null, queue: "nosuchpartition");

        await _backend.StartAsync(launch, CancellationToken.None);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);

        Assert.True(exited.StartFailed, exited.ToString());
        Assert.Contains("partition", exited.Message, StringComparison.OrdinalIgnoreCase);

        // The script file that never ran goes with the run.
        var script = Native.Terminals.SessionScript.PathOf(Cluster.Home, launch.RunId);
        Assert.True(File.Exists(script), script);
        await _backend.ForgetAsync(launch.RunId, CancellationToken.None);
        Assert.False(File.Exists(script), script);
    }

    private SlurmBackend New() =>
        new(_slurm.Client, new SlurmBackendSettings(_state, RootFactAttribute.IsRoot ? _slurm.DefaultPartition : "tools", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10)), TimeProvider.System, NullLogger<SlurmBackend>.Instance);

    private RunLaunch Launch(string command, TerminalSize? terminal, string queue = "default") =>
        Launches.Of(RandomNumberGenerator.GetInt32(1, int.MaxValue), command, Cluster.Home, Cluster.User, Cluster.Uid, Cluster.Uid, queue: queue) with { Interactive = true, Terminal = terminal };

    private Task<BackendRunReport> ReportAsync(long runId, BackendRunPhase phase) =>
        Eventually.FoundAsync($"{phase} report of run {runId}", async () => (await _backend.ListAsync(CancellationToken.None)).SingleOrDefault(r => r.RunId == runId && r.Phase == phase));
}
