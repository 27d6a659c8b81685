using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;
using Toolgrid.Core.Backends;

namespace Toolgrid.Native.Terminals;

/// <summary>
/// An attached interactive run, on descriptors: a pseudo-terminal's master, or the input pipe's
/// write end and the output pipe's read end, and what hangs the run up when it is disposed (the
/// local backend's connection to the run's shepherd; a grid backend's hang-up of the engine's
/// interactive client).
/// </summary>
/// <remarks>
/// Output is read by a thread of the terminal's own (poll, then read) into a small bounded queue,
/// so that a read can be cancelled and a slow reader holds the run back rather than filling
/// memory. The end of the output is EOF on the pipe, or EIO on the master once the run and
/// everything it left have closed the terminal. Disposing closes every descriptor: the kernel hangs
/// the terminal up (SIGHUP), and the shepherd, seeing its connection close, sends SIGHUP to all of
/// the run and SIGKILL after its grace period; a grid backend's client, hung up, ends the remote command.
/// </remarks>
public sealed class DescriptorTerminal : IRunTerminal
{
    private const int ChunkBytes = 16 * 1024;

    private readonly IDisposable _connection;
    private readonly SafeFileHandle _output;
    private readonly SafeFileHandle _wake;
    private readonly bool _isTerminal;
    private readonly Channel<byte[]> _chunks = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _pumped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SafeFileHandle? _input;
    private ReadOnlyMemory<byte> _pending;
    private int _disposed;

    private DescriptorTerminal(long runId, IDisposable connection, SafeFileHandle output, SafeFileHandle input, bool isTerminal)
    {
        RunId = runId;
        _connection = connection;
        _output = output;
        _input = input;
        _isTerminal = isTerminal;
        _wake = new SafeFileHandle((nint)TerminalNative.NewEventFd(), ownsHandle: true);
    }

    public long RunId { get; }

    /// <summary>Whether the run has a pseudo-terminal (rather than plain pipes).</summary>
    public bool IsTerminal => _isTerminal;

    /// <summary>Takes ownership of the descriptors and of <paramref name="connection"/> (disposed last, to hang the run up) and starts reading the output.</summary>
    public static DescriptorTerminal Open(long runId, IDisposable connection, int output, int input, bool isTerminal)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var connectionHandle = connection;
        var outputHandle = new SafeFileHandle((nint)output, ownsHandle: true);

        // With a terminal, input and output are the master: one handle, closed once.
        var inputHandle = isTerminal ? outputHandle : new SafeFileHandle((nint)input, ownsHandle: true);
        DescriptorTerminal terminal;
        try
        {
            TerminalNative.SetNonBlocking(output);
            TerminalNative.SetNonBlocking(input);
            terminal = new DescriptorTerminal(runId, connectionHandle, outputHandle, inputHandle, isTerminal);
        }
        catch
        {
            inputHandle.Dispose();
            outputHandle.Dispose();
            connectionHandle.Dispose();
            throw;
        }

        var reader = new Thread(terminal.Pump) { IsBackground = true, Name = $"terminal of run {runId}" };
        reader.Start();
        return terminal;
    }

    /// <inheritdoc />
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_pending.IsEmpty)
        {
            if (!await _chunks.Reader.WaitToReadAsync(cancellationToken) || !_chunks.Reader.TryRead(out var chunk))
            {
                return 0;
            }

            _pending = chunk;
        }

        var count = Math.Min(buffer.Length, _pending.Length);
        _pending.Span[..count].CopyTo(buffer.Span);
        _pending = _pending[count..];
        return count;
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var handle = Volatile.Read(ref _input) ?? throw new InvalidOperationException("the run's input was closed.");
        var fd = Enter(handle);
        try
        {
            while (!input.IsEmpty)
            {
                var written = TerminalNative.Write(fd, input.Span, out var error);
                if (written > 0)
                {
                    input = input[(int)written..];
                }
                else if (error == TerminalNative.EAgain)
                {
                    // The run does not read its input fast enough: wait until it does.
                    await WaitWritableAsync(fd, cancellationToken);
                }
                else if (error != TerminalNative.EIntr)
                {
                    throw new IOException(error is TerminalNative.EIo or TerminalNative.EPipe
                        ? $"run {RunId} no longer reads its input: it has ended."
                        : $"cannot write to the input of run {RunId}: errno {error}.");
                }
            }
        }
        finally
        {
            handle.DangerousRelease();
        }
    }

    /// <inheritdoc />
    public ValueTask ResizeAsync(int rows, int columns, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columns, ushort.MaxValue);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_isTerminal)
        {
            return ValueTask.CompletedTask;
        }

        var fd = Enter(_output);
        try
        {
            // The kernel sends SIGWINCH to the terminal's foreground process group. A run that
            // has ended (EIO) has no window to resize.
            var error = TerminalNative.SetWindowSize(fd, rows, columns);
            if (error != 0 && error != TerminalNative.EIo)
            {
                throw new IOException($"cannot resize the terminal of run {RunId}: errno {error}.");
            }
        }
        finally
        {
            _output.DangerousRelease();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Without a terminal the run's standard input is closed (it reads EOF); with one, nothing happens (send ^D, 0x04, for an end of file).</remarks>
    public ValueTask CloseInputAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_isTerminal)
        {
            Interlocked.Exchange(ref _input, null)?.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Hangs the run up: closes the terminal (or the pipes), then disposes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        TerminalNative.Signal((int)_wake.DangerousGetHandle());
        await _closing.CancelAsync();
        await _pumped.Task;
        Interlocked.Exchange(ref _input, null)?.Dispose();
        _output.Dispose();
        _connection.Dispose();
        _wake.Dispose();
        _closing.Dispose();
    }

    /// <summary>The descriptor, kept open until <c>DangerousRelease</c>.</summary>
    private static int Enter(SafeFileHandle handle)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        return (int)handle.DangerousGetHandle();
    }

    private async Task WaitWritableAsync(int fd, CancellationToken cancellationToken)
    {
        var wake = Enter(_wake);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (ready, woken) = await Task.Run(() => TerminalNative.Poll(fd, TerminalNative.PollOut, wake, 100), cancellationToken);
                ObjectDisposedException.ThrowIf(woken != 0, this);
                if (ready != 0)
                {
                    return;
                }
            }
        }
        finally
        {
            _wake.DangerousRelease();
        }
    }

    /// <summary>The reader thread: the output, chunk by chunk, until its end or the disposal.</summary>
    private void Pump()
    {
        Exception? failure = null;
        var buffer = new byte[ChunkBytes];
        try
        {
            var fd = Enter(_output);
            var wake = Enter(_wake);
            try
            {
                while (true)
                {
                    var read = TerminalNative.Read(fd, buffer, out var error);
                    if (read > 0)
                    {
                        var chunk = buffer.AsSpan(0, (int)read).ToArray();
                        while (!_chunks.Writer.TryWrite(chunk))
                        {
                            // A slow reader: wait for room (or the disposal).
                            if (!_chunks.Writer.WaitToWriteAsync(_closing.Token).AsTask().GetAwaiter().GetResult())
                            {
                                return;
                            }
                        }
                    }
                    else if (read == 0 || error == TerminalNative.EIo)
                    {
                        // EOF on the pipe; EIO on the master once no process has the terminal open.
                        return;
                    }
                    else if (error == TerminalNative.EAgain)
                    {
                        if (TerminalNative.Poll(fd, TerminalNative.PollIn, wake, -1).Wake != 0)
                        {
                            return;
                        }
                    }
                    else if (error != TerminalNative.EIntr)
                    {
                        failure = new IOException($"cannot read the output of run {RunId}: errno {error}.");
                        return;
                    }
                }
            }
            finally
            {
                _wake.DangerousRelease();
                _output.DangerousRelease();
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed while waiting for room.
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException)
        {
            failure = e;
        }
        finally
        {
            _chunks.Writer.TryComplete(failure);
            _pumped.TrySetResult();
        }
    }
}
