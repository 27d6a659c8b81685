using System.Runtime.InteropServices;

namespace Toolgrid.Bench.Native;

/// <summary>
/// An exclusive flock(2) on a file, held until disposed or until the process ends (the kernel
/// drops it then, however the process ended): what tells a live benchmark run from a dead one.
/// </summary>
/// <remarks>
/// Opened with open(2) rather than a FileStream, whose own flock on open would make the
/// outcome depend on the FileShare asked for. The descriptor is close-on-exec, so toolgridd
/// and the shepherds the run starts never hold it.
/// </remarks>
internal sealed partial class FileLock : IDisposable
{
    private const int ORdWr = 2;
    private const int OCreat = 0x40;
    private const int OCloExec = 0x80000;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int EWouldBlock = 11;
    private const int EIntr = 4;

    private int _fd;

    private FileLock(int fd) => _fd = fd;


    /// <summary>Waits for the lock on <paramref name="path"/> (made if missing).</summary>
    public static async Task<FileLock> TakeAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTake(path) is { } taken)
            {
                return taken;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, cancellationToken);
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = Close(_fd);
            _fd = -1;
        }
    }

    /// <summary>Takes the lock on <paramref name="path"/> (made if missing) if no one holds it; null if someone does.</summary>
    public static FileLock? TryTake(string path)
    {
        var fd = Open(path, ORdWr | OCloExec | OCreat, 0b110_100_100);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        while (Flock(fd, LockExclusive | LockNonBlocking) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EIntr)
            {
                continue;
            }

            _ = Close(fd);
            return errno == EWouldBlock ? null : throw new IOException($"cannot lock {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        return new FileLock(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
