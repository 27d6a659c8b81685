using System.Globalization;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Errors;
using Xunit.Abstractions;

namespace Toolgrid.Backends.Local.Tests.Terminals;

/// <summary>Interactive runs (<c>toolgrid jobs shell</c>): a real shepherd, a real pseudo-terminal or real pipes, the tool's user.</summary>
[Collection(RealRuns.Name)]
public sealed class InteractiveRunTests(ToolUserFixture user, ITestOutputHelper output) : IClassFixture<ToolUserFixture>
{
    [RootFact]
    public async Task A_shell_on_a_pseudo_terminal_computes_resizes_is_interrupted_by_ctrl_c_and_its_exit_is_recorded()
    {
        await using var harness = new BackendHarness(user, output);
        var launch = harness.Launch("exec sh") with { Interactive = true, Terminal = new TerminalSize(24, 80) };
        await harness.Backend.StartAsync(launch, CancellationToken.None);

        await using (var terminal = await harness.Backend.AttachAsync(launch.RunId, CancellationToken.None))
        {
            // Each answer is a sentinel the shell computes (see TerminalSession): the echo of the
            // typed line, which may come before the first prompt, never matches it.
            var session = new TerminalSession(terminal);
            await session.SendAsync("echo \"<$((6*7))>\"; echo \"<uid $(id -u)>\"; echo \"<size $(stty size)>\"; test -t 0; echo \"<tty $?>\"\n");
            var at = await session.ExpectAsync("<42>");
            at = await session.ExpectAsync($"<uid {user.Uid.ToString(CultureInfo.InvariantCulture)}>", at);
            at = await session.ExpectAsync("<size 24 80>", at);
            at = await session.ExpectAsync("<tty 0>", at);

            await terminal.ResizeAsync(33, 101, CancellationToken.None);
            await session.SendAsync("echo \"<size $(stty size)>\"\n");
            at = await session.ExpectAsync("<size 33 101>", at);

            // Ctrl-C (0x03) reaches the foreground command through the line discipline, not the shell.
            await session.SendAsync("sleep 100; echo after-sleep $?\n");
            var sleeper = await WaitForProcessAsync(harness, "sleep");
            await session.SendAsync("\u0003");
            await BackendHarness.WaitUntilAsync(() => BackendHarness.IsGone(sleeper), "the sleep to end");
            await session.SendAsync("echo \"<still here $((40+2))>\"\n");
            await session.ExpectAsync("<still here 42>", at);

            await session.SendAsync("exit 7\n");
            await session.ReadToEndAsync();
        }

        var report = await harness.WaitForEndAsync(launch.RunId);
        Assert.Equal((BackendRunPhase.Exited, 7, (int?)null, false), (report.Phase, report.ExitCode, report.Signal, report.StartFailed));
        Assert.False(File.Exists(harness.Run(launch.RunId).Path + ".attach"));
        Assert.Empty(harness.LiveProcessesOfUser());
    }

    [RootFact]
    public async Task Ctrl_c_ends_a_command_run_on_a_pseudo_terminal_with_SIGINT()
    {
        await using var harness = new BackendHarness(user, output);
        var launch = harness.Launch("echo ready; exec sleep 100") with { Interactive = true, Terminal = new TerminalSize(24, 80) };
        await harness.Backend.StartAsync(launch, CancellationToken.None);

        await using (var terminal = await harness.Backend.AttachAsync(launch.RunId, CancellationToken.None))
        {
            var session = new TerminalSession(terminal);
            await session.ExpectAsync("ready\r\n");
            await WaitForProcessAsync(harness, "sleep");
            await session.SendAsync("\u0003");
            await session.ReadToEndAsync();
        }

        var report = await harness.WaitForEndAsync(launch.RunId);
        Assert.Equal((BackendRunPhase.Exited, (int?)null, 2), (report.Phase, report.ExitCode, report.Signal));
    }

    [RootFact]
    public async Task With_pipes_the_output_merges_stdout_and_stderr_and_closing_the_input_ends_cat()
    {
        await using var harness = new BackendHarness(user, output);
        var launch = harness.Launch("echo to-stderr >&2; cat; echo done") with { Interactive = true };
        await harness.Backend.StartAsync(launch, CancellationToken.None);

        await using (var terminal = await harness.Backend.AttachAsync(launch.RunId, CancellationToken.None))
        {
            var session = new TerminalSession(terminal);
            await session.ExpectAsync("to-stderr\n");
            await session.SendAsync("hello\n");
            await session.ExpectAsync("to-stderr\nhello\n");
            await terminal.ResizeAsync(10, 10, CancellationToken.None);
            await terminal.CloseInputAsync(CancellationToken.None);
            await session.ReadToEndAsync();
            Assert.Equal("to-stderr\nhello\ndone\n", session.Output);
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await terminal.WriteAsync("more"u8.ToArray(), CancellationToken.None));
        }

        var report = await harness.WaitForEndAsync(launch.RunId);
        Assert.Equal((BackendRunPhase.Exited, 0), (report.Phase, report.ExitCode));
    }

    [RootFact]
    public async Task Disposing_the_terminal_hangs_the_run_up_and_a_second_attach_is_refused()
    {
        await using var harness = new BackendHarness(user, output);
        var launch = harness.Launch("echo ready; exec sleep 100") with { Interactive = true };
        await harness.Backend.StartAsync(launch, CancellationToken.None);

        var terminal = await harness.Backend.AttachAsync(launch.RunId, CancellationToken.None);
        await new TerminalSession(terminal).ExpectAsync("ready\n");
        var again = await Assert.ThrowsAsync<ToolgridException>(() => harness.Backend.AttachAsync(launch.RunId, CancellationToken.None));
        Assert.Equal("run-not-attachable", again.ErrorCode);
        await terminal.DisposeAsync();

        var report = await harness.WaitForEndAsync(launch.RunId);
        Assert.Equal((BackendRunPhase.Exited, (int?)null, 1), (report.Phase, report.ExitCode, report.Signal));
        var ended = await Assert.ThrowsAsync<ToolgridException>(() => harness.Backend.AttachAsync(launch.RunId, CancellationToken.None));
        Assert.Equal("run-ended", ended.ErrorCode);
    }

    [RootFact]
    public async Task An_interactive_run_stopped_before_its_attach_never_runs_its_command()
    {
        await using var harness = new BackendHarness(user, output);
        var marker = Path.Combine(harness.Work, "ran");
        var launch = harness.Launch($"touch {marker}") with { Interactive = true, Terminal = new TerminalSize(24, 80) };
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        Assert.Equal(BackendRunPhase.Running, (await harness.WaitForAsync(launch.RunId, _ => true)).Phase);
        Assert.True(File.Exists(harness.Run(launch.RunId).Path + ".attach"));

        await harness.Backend.StopAsync(launch.RunId, TimeSpan.FromSeconds(1), CancellationToken.None);

        var report = await harness.WaitForEndAsync(launch.RunId);
        Assert.Equal(BackendRunPhase.Exited, report.Phase);
        Assert.Contains("before it was attached", report.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
        Assert.False(File.Exists(harness.Run(launch.RunId).Path + ".attach"));
    }

    private static async Task<int> WaitForProcessAsync(BackendHarness harness, string name)
    {
        var found = 0;
        await BackendHarness.WaitUntilAsync(
            () =>
            {
                found = harness.LiveProcessesOfUser().FirstOrDefault(pid => ReadComm(pid) == name);
                return found != 0;
            },
            $"a process named {name}");
        return found;
    }

    private static string? ReadComm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
