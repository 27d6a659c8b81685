using System.Runtime.InteropServices;

namespace Toolgrid.Native;

/// <summary>The calls .NET has no API for: flock, kill, renameat2, positioned I/O on a descriptor, realpath.</summary>
/// <remarks>
/// Run files are read and written with our own <c>open</c>/<c>read</c>/<c>write</c>, not with
/// <see cref="FileStream"/>: on Unix .NET emulates <see cref="FileShare"/> with flock on every file it
/// opens, and a run file's flock is its shepherd's lock (a read through .NET would fail while the
/// shepherd holds it, and a probe would be a lock operation of its own).
/// </remarks>
internal static unsafe partial class LibC
{
    public const int LockShared = 1;
    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;
    public const int LockUnlock = 8;
    public const int AtFdCwd = -100;
    public const uint RenameNoReplace = 1;
    public const int SigHup = 1;
    public const int SigQuit = 3;
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, uint mode);

    [LibraryImport(Library, EntryPoint = "pread", SetLastError = true)]
    public static partial nint PRead(int fd, byte* buffer, nint count, long offset);

    [LibraryImport(Library, EntryPoint = "pwrite", SetLastError = true)]
    public static partial nint PWrite(int fd, byte* buffer, nint count, long offset);

    [LibraryImport(Library, EntryPoint = "fdatasync", SetLastError = true)]
    public static partial int FDataSync(int fd);

    [LibraryImport(Library, EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int FTruncate(int fd, long length);

    [LibraryImport(Library, EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Unlink(string path);

    [LibraryImport(Library, EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(Library, EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [LibraryImport(Library, EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPathNative(string path, IntPtr resolved);

    [LibraryImport(Library, EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);

    /// <summary>The canonical path (symbolic links resolved), or null when it cannot be resolved.</summary>
    public static string? RealPath(string path)
    {
        var result = RealPathNative(path, IntPtr.Zero);
        if (result == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(result);
        }
        finally
        {
            Free(result);
        }
    }
}
