using System.Text;
using Toolgrid.Core.Backends;
using Toolgrid.Native.Terminals;
using Toolgrid.Tests.Grid;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// <c>toolgrid jobs shell</c>, end to end, the same tests on every backend that runs interactive
/// jobs (<see cref="LocalShellTests"/>, <see cref="SlurmShellTests"/>, <see cref="SgeShellTests"/>):
/// the CLI, the WebSocket, the controller, the run under the tool's user (a shepherd on the host,
/// srun on a Slurm node, qrsh on a Grid Engine node).
/// </summary>
/// <param name="platform">The platform of the backend.</param>
/// <param name="prefix">The start of every tool name of the backend's tests: tools are Unix users, which the platforms share.</param>
/// <param name="nodes">The nodes the backend's runs may run on.</param>
public abstract class ShellTests(Platform platform, string prefix, IReadOnlyList<string> nodes)
{
    /// <summary>The name of this backend's tool <paramref name="name"/>.</summary>
    private string Tool(string name) => prefix + "-" + name;

    [RootFact]
    public async Task A_shell_without_a_terminal_reads_its_input_runs_as_the_tool_and_exits_with_the_runs_code()
    {
        await platform.MustAsync("alice", "tools", "create", Tool("pipes"));

        // cat ends only when the end of the CLI's input has reached the run.
        var result = await ShellAsync("alice", "hello\nworld\n", "jobs", "shell", "--tool", Tool("pipes"), "--", "read line; echo got $line; cat; id -un; pwd; exit 3");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal($"got hello\nworld\n{Platform.ToolPrefix}{Tool("pipes")}\n{platform.HomeOf(Tool("pipes"))}\n", result.Stdout.Replace("\r", "", StringComparison.Ordinal));
    }

    [RootFact]
    public async Task A_shell_runs_on_one_of_the_backends_nodes_and_its_errors_come_with_its_output()
    {
        await platform.MustAsync("alice", "tools", "create", Tool("where"));

        var result = await ShellAsync("alice", "", "jobs", "shell", "--tool", Tool("where"), "--", "hostname; echo oops >&2; exit 0");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines[0], nodes);
        Assert.Equal("oops", lines[1]);
    }

    [RootFact]
    public async Task A_shell_of_a_tool_the_caller_does_not_maintain_is_refused()
    {
        await platform.MustAsync("bob", "tools", "create", Tool("theirs"));

        var result = await ShellAsync("alice", "", "jobs", "shell", "--tool", Tool("theirs"), "--", "echo never");

        Assert.True(result.ExitCode == 77, result.ToString());
        Assert.Contains("not a maintainer", result.Stderr, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task A_shell_on_a_terminal_gets_one_on_the_node_reads_what_is_typed_and_exits_with_the_runs_code()
    {
        await platform.MustAsync("alice", "tools", "create", Tool("term"));

        var (code, output) = await OnTerminalAsync(Tool("term"), "echo ready; read -r line; echo got $line; tty; exit 4", ("ready", "hello\r"));

        Assert.True(code == 4, output);
        var lines = output.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("got hello", lines);
        Assert.Contains(lines, l => l.StartsWith("/dev/pts/", StringComparison.Ordinal));
    }

    [RootFact]
    public async Task Ctrl_d_on_a_terminal_ends_the_commands_input_not_the_session()
    {
        await platform.MustAsync("alice", "tools", "create", Tool("ctrld"));

        // ^D is a key like the others on the CLI's terminal: the run's terminal makes it the end of cat's input.
        var (code, output) = await OnTerminalAsync(Tool("ctrld"), "echo ready; cat; echo after cat; exit 4", ("ready", "abc\r"), ("abc\r\nabc", "\x04"));

        Assert.True(code == 4, output);
        Assert.Contains("after cat", output, StringComparison.Ordinal);
    }

    /// <summary>The CLI as a person, with <paramref name="stdin"/> as its (non-terminal) standard input.</summary>
    private async Task<CommandResult> ShellAsync(string person, string stdin, params string[] arguments)
    {
        try
        {
            return await RunShellAsync(person, stdin, arguments);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n--- toolgridd ---\n{platform.Log}", e);
        }
    }

    private Task<CommandResult> RunShellAsync(string person, string stdin, params string[] arguments) =>
        Command.RunAsync("setpriv", [.. AsPerson(person), Platform.ToolgridCli, .. arguments], timeout: TimeSpan.FromSeconds(60), stdin: stdin);

    /// <summary>The CLI as a person on a new pseudo-terminal of 24 by 80, as a person's ssh session gives it; its messages go to this process's standard error.</summary>
    private InteractiveClient OnTerminal(string person, params string[] arguments) =>
        InteractiveClient.Start(["/usr/bin/setpriv", .. AsPerson(person), Platform.ToolgridCli, .. arguments], new TerminalSize(24, 80), messagesFd: 2, raw: false);

    /// <summary>setpriv's arguments that make a person of the platform, with the CLI's environment.</summary>
    private string[] AsPerson(string person) =>
    [
        "--reuid=" + Platform.Person(person), "--regid=" + Platform.Person(person), "--init-groups", "--reset-env", "--",
        "/usr/bin/env", $"TOOLGRID_API=unix:{platform.Socket}", "HOME=/", "NO_COLOR=1", "TERM=xterm", "PATH=/usr/local/bin:/usr/bin:/bin",
    ];

    /// <summary>
    /// <c>toolgrid jobs shell --tool TOOL -- COMMAND</c> as alice on a pseudo-terminal: each step's
    /// keys typed once its text was printed, then read to the end; the CLI's exit code and all it printed.
    /// </summary>
    private async Task<(int Code, string Output)> OnTerminalAsync(string tool, string command, params (string Seen, string Typed)[] steps)
    {
        using var cli = OnTerminal("alice", "jobs", "shell", "--tool", tool, "--", command);
        await using var terminal = cli.Attach(0)!;
        var output = new StringBuilder();
        foreach (var (seen, typed) in steps)
        {
            Assert.True(await RunTerminals.ReadUntilAsync(terminal, output, seen, TimeSpan.FromSeconds(60)), $"'{seen}' not seen in: '{output.ToString().Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}'");
            await terminal.WriteAsync(Encoding.UTF8.GetBytes(typed), CancellationToken.None);
        }

        await RunTerminals.ReadToEndAsync(terminal, output);
        return (await ExitCodeAsync(cli), output.ToString());
    }

    /// <summary>The CLI's exit code, once it has exited.</summary>
    private static async Task<int> ExitCodeAsync(InteractiveClient cli)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int? status;
        while ((status = cli.Exited()) is null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, patience.Token);
        }

        return status.Value >> 8;
    }
}
