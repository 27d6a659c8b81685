using Microsoft.Win32.SafeHandles;
using Toolgrid.Native;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>A read-only descriptor on a run file, kept by the backend (<see cref="RunFileHandles"/>); closed once no read uses it.</summary>
/// <remarks>
/// Not a <see cref="SafeFileHandle"/>: on Unix .NET treats its own file handles as flock'd, and a
/// run file's flock is its shepherd's lock.
/// </remarks>
internal sealed class RunFileHandle : SafeHandleMinusOneIsInvalid
{
    public RunFileHandle(int fd)
        : base(ownsHandle: true) => SetHandle(fd);

    /// <summary>Runs <paramref name="use"/> with the descriptor, which is not closed meanwhile; <paramref name="closed"/> when it was closed already.</summary>
    public T Use<T>(Func<int, T> use, T closed)
    {
        var added = false;
        try
        {
            DangerousAddRef(ref added);
            return use((int)DangerousGetHandle());
        }
        catch (ObjectDisposedException)
        {
            return closed;
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    protected override bool ReleaseHandle() => LibC.Close((int)handle) == 0;
}
