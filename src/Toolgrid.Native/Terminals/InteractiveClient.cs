using Microsoft.Win32.SafeHandles;
using Toolgrid.Core.Backends;
using Toolgrid.Native.Processes;

namespace Toolgrid.Native.Terminals;

/// <summary>
/// A grid engine's interactive client (<c>srun --pty</c>) started on this host for an interactive
/// run, on a new pseudo-terminal (in a session of its own, the terminal its controlling one, so
/// that a resize reaches it as SIGWINCH and a hang-up as SIGHUP) or on two pipes, its own
/// messages (standard error with a terminal's output on the remote side) in a file of the backend's.
/// </summary>
/// <remarks>
/// The backend keeps the terminal's master (or the pipes' far ends) until the run's one attach
/// (<see cref="Attach"/>); until then the client's output waits in the kernel's buffer and the
/// client blocks once it is full, so nothing is lost. The client is this process's child: its
/// end is read with <c>waitpid</c> (<see cref="Exited"/>); it dies when toolgridd does (the
/// terminal's master closes: SIGHUP) or, with pipes, at its next write or read.
/// </remarks>
public sealed class InteractiveClient : IDisposable
{
    private const int SigHup = 1;

    private readonly int _pid;
    private readonly Lock _gate = new();
    private SafeFileHandle? _output;
    private SafeFileHandle? _input;
    private int? _status;

    private InteractiveClient(int pid, SafeFileHandle output, SafeFileHandle input, bool isTerminal)
    {
        _pid = pid;
        _output = output;
        _input = input;
        IsTerminal = isTerminal;
    }

    /// <summary>Whether the run's terminal was handed to an attach.</summary>
    public bool Attached { get; private set; }

    /// <summary>Whether the client is on a pseudo-terminal (rather than pipes).</summary>
    public bool IsTerminal { get; }

    /// <summary>
    /// Starts <paramref name="arguments"/> (the program first, an absolute path) through
    /// <c>setsid</c> (<c>--ctty</c> with a terminal), with an empty environment.
    /// </summary>
    /// <param name="arguments">The client's command line, never through a shell.</param>
    /// <param name="terminal">The terminal's size; null for pipes.</param>
    /// <param name="messagesFd">Where the client's standard error goes (not kept).</param>
    /// <param name="raw">
    /// Whether the terminal's input starts raw (<see cref="TerminalNative.MakeInputRaw"/>). A grid
    /// engine's client (<c>qrsh -pty y</c>, <c>srun --pty</c>) relays keys to a terminal on the node,
    /// whose line discipline reads them: in a terminal's first (cooked) mode, a ^D typed before the
    /// client made its terminal raw would end the client's own input, and the session with it.
    /// Its output keeps a login terminal's processing, which qrsh passes on to the node's terminal.
    /// False gives a terminal as a login gives it (a person's, in tests).
    /// </param>
    /// <exception cref="IOException">The terminal, the pipes or the process could not be made.</exception>
    public static InteractiveClient Start(IReadOnlyList<string> arguments, TerminalSize? terminal, int messagesFd, bool raw)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        IReadOnlyList<string> argv = terminal is null ? [.. arguments] : ["--ctty", .. arguments];
        int ours, theirsIn, theirsOut, oursIn;
        if (terminal is { } size)
        {
            (ours, theirsIn) = TerminalNative.OpenPseudoTerminal(size.Rows, size.Columns);
            if (raw && TerminalNative.MakeInputRaw(theirsIn) is var error and not 0)
            {
                TerminalNative.Close(theirsIn);
                TerminalNative.Close(ours);
                throw new IOException($"cannot put the pseudo-terminal of an interactive client in raw input mode: errno {error}");
            }

            theirsOut = theirsIn;
            oursIn = ours;
        }
        else
        {
            if (!Spawn.Pipe(out theirsIn, out oursIn))
            {
                throw new IOException("cannot make the input pipe of an interactive client.");
            }

            if (!Spawn.Pipe(out ours, out theirsOut))
            {
                TerminalNative.Close(theirsIn);
                TerminalNative.Close(oursIn);
                throw new IOException("cannot make the output pipe of an interactive client.");
            }
        }

        var pid = Spawn.StartOn("/usr/bin/setsid", argv, theirsIn, theirsOut, messagesFd);
        TerminalNative.Close(theirsIn);
        if (theirsOut != theirsIn)
        {
            TerminalNative.Close(theirsOut);
        }

        var output = new SafeFileHandle(ours, ownsHandle: true);
        var input = oursIn == ours ? output : new SafeFileHandle(oursIn, ownsHandle: true);
        if (pid < 0)
        {
            output.Dispose();
            input.Dispose();
            throw new IOException($"cannot start '{arguments[0]}' through /usr/bin/setsid: errno {-pid}.");
        }

        return new InteractiveClient(pid, output, input, terminal is not null);
    }

    /// <summary>
    /// The client's wait status once it has ended (-1 when how it ended is unknown); null while it runs.
    /// </summary>
    public int? Exited()
    {
        lock (_gate)
        {
            return _status ??= Spawn.Wait(_pid, block: false);
        }
    }

    /// <summary>
    /// The terminal of the run, once: its descriptors pass to it, and disposing it hangs the client
    /// up (SIGHUP). Null when it was attached before.
    /// </summary>
    public DescriptorTerminal? Attach(long runId)
    {
        SafeFileHandle? output, input;
        lock (_gate)
        {
            (output, input) = (_output, _input);
            (_output, _input) = (null, null);
            Attached |= output is not null;
        }

        if (output is null || input is null)
        {
            return null;
        }

        // DescriptorTerminal owns the descriptors from here: the handles let them go.
        var outputFd = (int)output.DangerousGetHandle();
        var inputFd = (int)input.DangerousGetHandle();
        output.SetHandleAsInvalid();
        input.SetHandleAsInvalid();
        return DescriptorTerminal.Open(runId, new HangUp(this), outputFd, inputFd, IsTerminal);
    }

    /// <summary>Sends SIGHUP to the client while it runs (srun passes it on to the remote command).</summary>
    public void SignalHangUp()
    {
        lock (_gate)
        {
            if (Exited() is null)
            {
                _ = LibC.Kill(_pid, SigHup);
            }
        }
    }

    /// <summary>Closes the descriptors not attached (the client sees its terminal hung up or its input end).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _input?.Dispose();
            _output?.Dispose();
            (_output, _input) = (null, null);
        }
    }

    private sealed class HangUp(InteractiveClient client) : IDisposable
    {
        public void Dispose() => client.SignalHangUp();
    }
}
