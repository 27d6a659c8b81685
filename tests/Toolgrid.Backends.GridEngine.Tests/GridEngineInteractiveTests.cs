using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Toolgrid.Core.Backends;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.GridEngine.Tests;

/// <summary>The backend's interactive runs on a real SGE cluster: qrsh on a terminal, its attach, its end, and a restart of toolgridd.</summary>
[Collection(SgeCluster.Name)]
public sealed class GridEngineInteractiveTests : IDisposable
{
    private readonly SgeClusterFixture _sge;
    private readonly string _state;
    private readonly GridEngineBackend _backend;

    public GridEngineInteractiveTests(SgeClusterFixture sge)
    {
        _sge = sge;
        _state = Path.Combine(RootFactAttribute.IsRoot ? sge.Cluster.Root : Path.GetTempPath(), "state-" + Guid.NewGuid().ToString("N"));
        _backend = New();
    }

    private TestCluster Cluster => _sge.Cluster;

    public void Dispose()
    {
        _backend.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    [RootFact]
    public async Task A_run_on_a_terminal_reads_what_is_typed_on_its_node_and_ends_with_the_remote_exit_code()
    {
        var launch = Launch("echo ready; while read x; do [ \"$x\" = q ] && exit 5; echo got-$x on $(hostname) as $(id -un); stty size; done", new TerminalSize(24, 80));

        await _backend.StartAsync(launch, CancellationToken.None);
        var running = await ReportAsync(launch.RunId, BackendRunPhase.Running);
        var output = new StringBuilder();
        await using (var terminal = await _backend.AttachAsync(launch.RunId, CancellationToken.None))
        {
            // Typed once the command prints, as at a prompt: what is typed before qrsh's remote side
            // runs may be lost, or lose output after it (deploy/grid/README.md; the user guide says so).
            Assert.True(await RunTerminals.ReadUntilAsync(terminal, output, "ready"), output.ToString());
            await terminal.WriteAsync("hello\n"u8.ToArray(), CancellationToken.None);
            // A terminal on the node, of the run's size (qrsh passes no later resize on: not tested).
            Assert.True(await RunTerminals.ReadUntilAsync(terminal, output, "24 80"), output.ToString());
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
    public Task Ctrl_d_typed_before_the_remote_command_runs_ends_its_input_not_the_session() =>
        EngineChecks.CtrlDTypedAheadAsync(_backend, Launch(EngineChecks.CatCommand, new TerminalSize(24, 80)), ReportAsync);

    [RootFact]
    public async Task Ctrl_c_on_the_terminal_ends_the_command_with_SIGINT_as_on_the_local_backend()
    {
        // The command runs in the background of the job's shell; dash starts such a command with
        // SIGINT ignored unless the script undoes it: then ^C would do nothing.
        var (exited, output) = await OnceReadyAsync((terminal, _) => terminal.WriteAsync("\u0003"u8.ToArray(), CancellationToken.None).AsTask());

        Assert.True(exited is { Signal: 2, StartFailed: false }, exited + "\n" + output);
    }

    [RootFact]
    public async Task A_session_whose_qrsh_died_while_its_command_ran_ends_and_leaves_no_job()
    {
        // As when qrsh dies: the engine ends the job on the node, and the run ends with it.
        var (exited, _) = await OnceReadyAsync((_, runId) =>
        {
            Assert.Equal(1, RunTerminals.KillClients("qrsh", SgeSubmission.NameOf(runId)));
            return Task.CompletedTask;
        });

        Assert.True(exited is { Signal: not null, RemovedOutside: false, StartFailed: false }, exited.ToString());
        Assert.DoesNotContain((await _sge.Client.ReadStateAsync(CancellationToken.None)).Jobs, j => j.Name == SgeSubmission.NameOf(exited.RunId));
    }

    [RootFact]
    public async Task A_run_whose_qrsh_ended_before_its_attach_stays_running_until_the_attach_has_read_its_output()
    {
        var launch = Launch("echo printed before the attach", terminal: null);

        await _backend.StartAsync(launch, CancellationToken.None);
        await ReportAsync(launch.RunId, BackendRunPhase.Running);
        await Eventually.FoundAsync($"the end of run {launch.RunId}'s qrsh", () => Task.FromResult(RunTerminals.ClientRuns(SgeSubmission.NameOf(launch.RunId)) ? null : "ended"));

        // qrsh has ended: the run is still running for the session that has yet to attach.
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
    public async Task A_run_of_a_toolgridd_that_restarted_is_lost_and_its_job_deleted()
    {
        var launch = Launch("exec sleep 1000", terminal: null);
        await _backend.StartAsync(launch, CancellationToken.None);
        await ReportAsync(launch.RunId, BackendRunPhase.Running);

        using var restarted = New();
        var lost = await Eventually.FoundAsync($"lost report of run {launch.RunId}", async () =>
            (await restarted.ListAsync(CancellationToken.None)).SingleOrDefault(r => r.RunId == launch.RunId && r.Phase == BackendRunPhase.Lost));
        var ended = await Eventually.FoundAsync($"the end of run {launch.RunId}'s job", async () =>
            (await _sge.Client.ReadAccountingAsync(0, CancellationToken.None)).Records.LastOrDefault(r => r.JobName == SgeSubmission.NameOf(launch.RunId)));

        Assert.Contains("toolgridd restarted", lost.Message, StringComparison.Ordinal);
        Assert.True(ended.Failed != 0 || ended.ExitStatus != 0, ended.ToString());
        await restarted.ForgetAsync(launch.RunId, CancellationToken.None);
        await _backend.ForgetAsync(launch.RunId, CancellationToken.None);
    }

    [RootFact]
    public async Task Stop_ends_a_running_interactive_run_and_says_it_was_stopped()
    {
        var launch = Launch("exec sleep 1000", terminal: null);
        await _backend.StartAsync(launch, CancellationToken.None);
        await ReportAsync(launch.RunId, BackendRunPhase.Running);

        await _backend.StopAsync(launch.RunId, TimeSpan.FromSeconds(10), CancellationToken.None);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);

        // qdel of a qrsh job ends its session: the command dies by the signal that reaches it first (SIGHUP when the session goes, or the job script's SIGTERM).
        Assert.True(exited is { Message: "stopped", Signal: not null }, exited.ToString());
    }

    [RootFact]
    public async Task A_run_qrsh_cannot_place_fails_to_start_saying_why()
    {
        var launch = Launch("true", terminal: null, queue: "nosuchqueue");

        await _backend.StartAsync(launch, CancellationToken.None);
        var exited = await ReportAsync(launch.RunId, BackendRunPhase.Exited);

        Assert.True(exited.StartFailed, exited.ToString());
        Assert.Contains("nosuchqueue", exited.Message, StringComparison.Ordinal);

        // The script file that never ran goes with the run.
        var script = Native.Terminals.SessionScript.PathOf(Cluster.Home, launch.RunId);
        Assert.True(File.Exists(script), script);
        await _backend.ForgetAsync(launch.RunId, CancellationToken.None);
        Assert.False(File.Exists(script), script);
    }

    private GridEngineBackend New() =>
        new(_sge.Client, new GridEngineBackendSettings(_state, "default", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), new GridEngineBackendOptions().NodeLostAfter), TimeProvider.System, NullLogger<GridEngineBackend>.Instance);

    /// <summary>A run on a terminal that prints "ready" and sleeps: <paramref name="act"/> (on its terminal and run id) once it printed; then its end and all it printed.</summary>
    private async Task<(BackendRunReport Exited, string Output)> OnceReadyAsync(Func<IRunTerminal, long, Task> act)
    {
        var launch = Launch("echo ready; exec sleep 300", new TerminalSize(24, 80));
        await _backend.StartAsync(launch, CancellationToken.None);
        await ReportAsync(launch.RunId, BackendRunPhase.Running);
        var output = new StringBuilder();
        await using (var terminal = await _backend.AttachAsync(launch.RunId, CancellationToken.None))
        {
            Assert.True(await RunTerminals.ReadUntilAsync(terminal, output, "ready"), output.ToString());
            await act(terminal, launch.RunId);
            await RunTerminals.ReadToEndAsync(terminal, output);
        }

        return (await ReportAsync(launch.RunId, BackendRunPhase.Exited), output.ToString());
    }

    private RunLaunch Launch(string command, TerminalSize? terminal, string queue = "default") =>
        Launches.Of(RandomNumberGenerator.GetInt32(1, int.MaxValue), command, Cluster.Home, Cluster.User, Cluster.Uid, Cluster.Uid, queue: queue) with { Interactive = true, Terminal = terminal };

    private Task<BackendRunReport> ReportAsync(long runId, BackendRunPhase phase) =>
        Eventually.FoundAsync($"{phase} report of run {runId}", async () => (await _backend.ListAsync(CancellationToken.None)).SingleOrDefault(r => r.RunId == runId && r.Phase == phase));
}
