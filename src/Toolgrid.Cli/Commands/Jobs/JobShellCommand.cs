using System.Buffers.Binary;
using System.CommandLine;
using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Native;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary>
/// <c>toolgrid jobs shell [--mem SIZE] [--cpu CPU] [--no-tty] [-- CMD]</c>: an interactive run of
/// the tool (its login shell, or CMD), attached to this terminal, with the tool's limits, as its
/// user, in its home (docs/api.md, "Interactive runs"). Exits with the run's exit code.
/// </summary>
internal sealed class JobShellCommand : CliCommand
{
    private const byte Data = 0;
    private const byte Resize = 1;
    private const byte Exit = 2;
    private const byte EndOfInput = 3;

    private readonly Option<string?> _mem = new("--mem") { Description = "Memory limit, e.g. 512Mi or 2Gi (default: the site's).", HelpName = "SIZE" };

    private readonly Option<string?> _cpu = new("--cpu") { Description = "CPU limit, e.g. 0.5 or 250m (default: the site's).", HelpName = "CPU" };

    private readonly Option<bool> _noTty = new("--no-tty") { Description = "Plain pipes instead of a terminal (the default when standard input or output is not a terminal)." };

    private readonly Argument<string[]> _command = new("CMD")
    {
        Description = "After '--': what to run instead of the tool's login shell, e.g. -- python3 -i (several words reach the program as typed; one word is a shell line, run with /bin/sh -c).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public JobShellCommand(CommandHost host)
        : base("shell", "Open an interactive shell (or run CMD) as the tool, on the grid, with its limits: Ctrl-D or 'exit' ends it.", host)
    {
        Add(_mem);
        Add(_cpu);
        Add(_noTty);
        Add(_command);
    }

    /// <summary>The endpoint's path and query for these choices.</summary>
    public static string PathAndQuery(string tool, string? command, bool tty, (int Rows, int Columns)? size, string? mem, string? cpu)
    {
        var query = new List<string> { "tty=" + (tty ? "true" : "false") };
        if (command is not null)
        {
            query.Add("command=" + Uri.EscapeDataString(command));
        }

        if (tty && size is { } s)
        {
            query.Add("rows=" + s.Rows.ToString(CultureInfo.InvariantCulture));
            query.Add("cols=" + s.Columns.ToString(CultureInfo.InvariantCulture));
        }

        if (mem is not null)
        {
            query.Add("mem=" + Uri.EscapeDataString(mem));
        }

        if (cpu is not null)
        {
            query.Add("cpu=" + Uri.EscapeDataString(cpu));
        }

        return ToolgridClient.ToolPath(tool) + "/shell?" + string.Join('&', query);
    }

    /// <summary>The exit code for the run's end, as the server reports it (message 2), and what to say about it, if anything.</summary>
    public static (int Code, string? Say) Outcome(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        if (root.TryGetProperty("exitCode", out var code) && code.TryGetInt32(out var exitCode))
        {
            return (exitCode, null);
        }

        if (root.TryGetProperty("signal", out var signal) && signal.TryGetInt32(out var number))
        {
            return (128 + number, $"the session ended with signal {number}.");
        }

        var state = root.TryGetProperty("state", out var s) ? s.GetString() : null;
        var reason = root.TryGetProperty("reason", out var r) ? r.GetString() : null;
        var message = root.TryGetProperty("message", out var m) ? m.GetString() : null;
        return (ExitCodes.Refused, $"the session's run ended {state} ({reason}){(string.IsNullOrEmpty(message) ? "" : ": " + message)}.");
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var tty = !cli.Parse.GetValue(_noTty) && cli.Environment.InIsTerminal && cli.Environment.OutIsTerminal;

        // Taken first, so that keys typed while the CLI connects wait for the run as they are;
        // declared first, so that it is put back before an error (a refusal, no API) is printed.
        using var raw = tty ? ShellTerminal.EnterRawMode() : null;
        var tool = await cli.ResolveToolAsync(cancellationToken);
        var words = cli.Parse.GetValue(_command) ?? [];
        var command = CommandWords.ToCommandLine(words);
        var path = PathAndQuery(tool, command, tty, tty ? ShellTerminal.WindowSize() : null, cli.Parse.GetValue(_mem), cli.Parse.GetValue(_cpu));

        using var socket = await cli.Client.ConnectWebSocketAsync(path, cancellationToken);
        raw?.PassCtrlC();
        using var sending = new SemaphoreSlim(1, 1);
        using var resized = tty ? PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context =>
        {
            context.Cancel = true;
            if (ShellTerminal.WindowSize() is { } size)
            {
                var message = new byte[5];
                message[0] = Resize;
                BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(1), (ushort)size.Rows);
                BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(3), (ushort)size.Columns);
                _ = SendAsync(socket, sending, message, CancellationToken.None);
            }
        }) : null;

        // Input is read until its end; the read in progress when the session ends is left behind (the process exits).
        _ = Task.Run(() => PumpInputAsync(socket, sending, tty, cancellationToken), CancellationToken.None);
        using var output = StandardStream(1, FileAccess.Write);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                try
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                }
                catch (WebSocketException e)
                {
                    raw?.Dispose();
                    cli.Note($"toolgrid: the connection to the API was lost: {e.Message}");
                    return ExitCodes.Unavailable;
                }

                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close || length == 0)
            {
                raw?.Dispose();
                cli.Note("toolgrid: the session ended without an exit status.");
                return ExitCodes.Unavailable;
            }

            switch (buffer[0])
            {
                case Data:
                    await output.WriteAsync(buffer.AsMemory(1, length - 1), cancellationToken);
                    await output.FlushAsync(cancellationToken);
                    break;
                case Exit:
                    raw?.Dispose();
                    var (code, say) = Outcome(buffer.AsSpan(1, length - 1));
                    if (say is not null)
                    {
                        cli.Note("toolgrid: " + say);
                    }

                    await CloseAsync(socket, sending);
                    return code;
            }
        }
    }

    private static async Task PumpInputAsync(WebSocket socket, SemaphoreSlim sending, bool tty, CancellationToken cancellationToken)
    {
        using var input = StandardStream(0, FileAccess.Read);
        var buffer = new byte[16 * 1024 + 1];
        buffer[0] = Data;
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(buffer.AsMemory(1), cancellationToken);
                if (read == 0)
                {
                    // Without a terminal, the end of input closes the run's; with one, ^D is a key like the others.
                    if (!tty)
                    {
                        await SendAsync(socket, sending, new[] { EndOfInput }, cancellationToken);
                    }

                    return;
                }

                await SendAsync(socket, sending, buffer.AsMemory(0, read + 1), cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The session is over.
        }
    }

    /// <summary>
    /// Standard input or output as plain bytes. Not <see cref="Console.OpenStandardInput()"/>: on a
    /// terminal, .NET reads it a line at a time and echoes it itself.
    /// </summary>
    private static FileStream StandardStream(int fd, FileAccess access) =>
        new(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: false), access, bufferSize: 0);

    /// <summary>Answers the server's close (it closes after the exit message), briefly: the session is over either way.</summary>
    private static async Task CloseAsync(WebSocket socket, SemaphoreSlim sending)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        if (!await sending.WaitAsync(TimeSpan.FromSeconds(2)))
        {
            return;
        }

        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", patience.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Gone already.
        }
        finally
        {
            sending.Release();
        }
    }

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim sending, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await sending.WaitAsync(cancellationToken);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(message, WebSocketMessageType.Binary, true, cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            // Ended meanwhile.
        }
        finally
        {
            sending.Release();
        }
    }
}
