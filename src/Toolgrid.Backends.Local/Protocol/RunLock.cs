using System.Runtime.InteropServices;
using Toolgrid.Backends.Local.Native;
using Toolgrid.Native;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>The flock a shepherd holds for its whole life: on the run file (protocol 2), or on <c>RUNDIR/lock</c> (protocol 1).</summary>
/// <remarks>
/// The lock is what says "a shepherd is alive for this run": the kernel drops it when the
/// shepherd's last descriptor closes, that is when the shepherd exits, even by SIGKILL. Unlike
/// <c>kill -0</c> it is not fooled by a zombie waiting for a slow init, nor by a recycled PID.
/// </remarks>
internal sealed class RunLock : IDisposable
{
    private int _fd;

    private RunLock(int fd) => _fd = fd;

    /// <summary>The locked file's descriptor (read and write), for the holder's own writes.</summary>
    public int Fd => _fd;

    /// <summary>Whether a shepherd holds the lock now (a shared lock is tried and at once let go).</summary>
    public static bool IsHeld(string path)
    {
        var fd = UnixFile.Open(path, LibC.OReadOnly);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            return IsHeld(fd);
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    /// <summary>Whether a shepherd holds the lock of the file open on <paramref name="fd"/> (a descriptor of the caller's own, never locked otherwise).</summary>
    public static bool IsHeld(int fd)
    {
        if (Flock(fd, LibC.LockShared | LibC.LockNonBlocking) == 0)
        {
            Flock(fd, LibC.LockUnlock);
            return false;
        }

        return Marshal.GetLastPInvokeError() == LibC.EWOULDBLOCK;
    }

    /// <summary>Takes the lock in place of a shepherd, or returns null when one holds it (or the file is missing).</summary>
    public static RunLock? TryTake(string path)
    {
        var fd = UnixFile.Open(path, LibC.OReadWrite | LibC.ONoFollow);
        if (fd < 0)
        {
            return null;
        }

        if (Flock(fd, LibC.LockExclusive | LibC.LockNonBlocking) == 0)
        {
            return new RunLock(fd);
        }

        LibC.Close(fd);
        return null;
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            LibC.Close(fd);
        }
    }

    private static int Flock(int fd, int operation)
    {
        int rc;
        do
        {
            rc = LibC.Flock(fd, operation);
        }
        while (rc < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);
        return rc;
    }
}
