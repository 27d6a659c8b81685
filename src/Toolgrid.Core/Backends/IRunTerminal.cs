namespace Toolgrid.Core.Backends;

/// <summary>An attached interactive run: its input, its output (standard output and error, merged), its window size.</summary>
public interface IRunTerminal : IAsyncDisposable
{
    /// <summary>Reads the run's output; returns 0 once the run has ended and all of it was read.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Writes to the run's input (with a terminal, keys: 0x03 is Ctrl-C).</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken);

    /// <summary>The caller's window changed size (with a terminal; ignored without one).</summary>
    ValueTask ResizeAsync(int rows, int columns, CancellationToken cancellationToken);

    /// <summary>No more input (without a terminal: the run's standard input is closed).</summary>
    ValueTask CloseInputAsync(CancellationToken cancellationToken);
}
