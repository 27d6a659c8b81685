using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Toolgrid.Core.Backends;
using Toolgrid.Native.Terminals;
using Toolgrid.Tests.Grid;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// <c>toolgrid jobs shell</c> on a person's terminal before it has a session: it takes the terminal
/// before it connects, and puts it back as it was before it says why it could not connect. No
/// toolgridd: the API is a socket that never answers, or none.
/// </summary>
public sealed class ShellConnectTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("toolgrid-shell-connect-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [RootFact]
    public async Task While_the_connection_hangs_the_terminal_is_raw_and_ctrl_c_gives_up_and_puts_it_back()
    {
        var socket = Path.Combine(_directory, "api.sock");
        using var silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        silent.Bind(new UnixDomainSocketEndPoint(socket));
        silent.Listen();

        using var cli = OnTerminal(socket);
        await using var terminal = cli.Attach(0)!;
        var output = new StringBuilder();
        var (tty, before) = await BeforeAsync(terminal, output);

        // Raw, but for Ctrl-C: typed-ahead keys wait for the run as they are.
        await Eventually.FoundAsync("the CLI's terminal raw, Ctrl-C still a signal", async () =>
        {
            var modes = (await Command.RunAsync("stty", ["-F", tty, "-a"])).Stdout;
            return modes.Contains("-icanon", StringComparison.Ordinal) && modes.Contains("-echo ", StringComparison.Ordinal)
                && Regex.IsMatch(modes, @"(^|\s)isig(\s|$)", RegexOptions.Multiline) ? modes : null;
        });
        await terminal.WriteAsync("\x03"u8.ToArray(), CancellationToken.None);
        Assert.True(await ReadAfterLineAsync(terminal, output), Visible(output));

        // A carriage return before the newline: the terminal was put back before the CLI wrote.
        Assert.True(output.ToString().Contains("toolgrid: interrupted.\r\n", StringComparison.Ordinal), Visible(output));
        Assert.True(output.ToString().Contains($"after 130 {before}\r\n", StringComparison.Ordinal), Visible(output));
    }

    [RootFact]
    public async Task A_connection_refused_is_said_on_the_terminal_as_it_was()
    {
        using var cli = OnTerminal(Path.Combine(_directory, "none.sock"));
        await using var terminal = cli.Attach(0)!;
        var output = new StringBuilder();
        var (_, before) = await BeforeAsync(terminal, output);

        Assert.True(await ReadAfterLineAsync(terminal, output), Visible(output));

        Assert.True(Regex.IsMatch(output.ToString(), @"toolgrid: error: cannot reach the API[^\n]*\r\n"), Visible(output));
        Assert.True(output.ToString().Contains($"after 69 {before}\r\n", StringComparison.Ordinal), Visible(output));
    }

    /// <summary>
    /// <c>toolgrid jobs shell</c> against the API at <paramref name="socket"/>, on a new
    /// pseudo-terminal as a login gives it, in a shell that prints the terminal's name and modes
    /// before (<c>before TTY MODES</c>) and the CLI's exit code and the modes after
    /// (<c>after CODE MODES</c>); the CLI's messages on the terminal too; Ctrl-C interrupts the CLI, not the shell,
    /// whatever this process was started with.
    /// </summary>
    private static InteractiveClient OnTerminal(string socket) =>
        InteractiveClient.Start(
            [
                // Signals as a login gives them: a test run from a background job (`cmd &` in a
                // script, as CI may start it) inherits SIGINT and SIGQUIT ignored, and an ignored
                // SIGINT is kept ignored by bash (no trap can undo it) and by the CLI.
                "/usr/bin/env", "--default-signal=INT,QUIT", $"TOOLGRID_API=unix:{socket}", "HOME=/", "NO_COLOR=1", "TERM=xterm", "PATH=/usr/local/bin:/usr/bin:/bin",
                "/bin/bash", "-c", "trap : INT; echo \"before $(tty) $(stty -g)\"; \"$@\" 2>&1; echo \"after $? $(stty -g)\"", "bash",
                Platform.ToolgridCli, "jobs", "shell", "--tool", "mytool", "--", "true",
            ],
            new TerminalSize(24, 80),
            messagesFd: 2,
            raw: false);

    /// <summary>What the terminal showed, its carriage returns and newlines made visible.</summary>
    private static string Visible(StringBuilder output) =>
        output.ToString().Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>The terminal's name and modes (<c>stty -g</c>) before the CLI starts: the first line (the CLI may have written after it by the time it is read).</summary>
    private static async Task<(string Tty, string Modes)> BeforeAsync(DescriptorTerminal terminal, StringBuilder output)
    {
        Assert.True(await RunTerminals.ReadUntilAsync(terminal, output, "\r\n", TimeSpan.FromSeconds(60)), output.ToString());
        var text = output.ToString();
        var words = text[..text.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ');
        Assert.True(words is ["before", _, _], Visible(output));
        return (words[1], words[2]);
    }

    /// <summary>
    /// Reads until the shell's last line (<c>after CODE MODES</c>), not until the terminal's end: a
    /// process elsewhere that holds the terminal open would keep that from coming, and the output
    /// then would not be shown. False when the output ended or stalled first.
    /// </summary>
    private static async Task<bool> ReadAfterLineAsync(DescriptorTerminal terminal, StringBuilder output)
    {
        while (!Regex.IsMatch(output.ToString(), @"(?:^|\n)after \d+ \S+\r\n"))
        {
            if (!await RunTerminals.ReadUntilAsync(terminal, output, "\n", Eventually.Patience))
            {
                return false;
            }
        }

        return true;
    }
}
