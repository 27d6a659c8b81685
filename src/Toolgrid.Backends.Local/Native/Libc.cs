using System.Runtime.InteropServices;

namespace Toolgrid.Backends.Local.Native;

/// <summary>The few libc calls .NET has no API for: flock, kill, renameat2, geteuid.</summary>
/// <remarks>
/// The run's lock is probed with our own <c>open</c> + <c>flock</c>, not with <see cref="FileStream"/>:
/// on Unix .NET emulates <see cref="FileShare"/> with flock on every file it opens, which would
/// make a read of the lock file a lock operation of its own.
/// </remarks>
internal static partial class Libc
{
    public const int ORdOnly = 0;
    public const int OCloExec = 0x80000;
    public const int LockSh = 1;
    public const int LockEx = 2;
    public const int LockNb = 4;
    public const int LockUn = 8;
    public const int EIntr = 4;
    public const int ENoEnt = 2;
    public const int ESrch = 3;
    public const int EExist = 17;
    public const int ENotEmpty = 39;
    public const int EWouldBlock = 11;
    public const int AtFdCwd = -100;
    public const uint RenameNoReplace = 1;
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);
}
