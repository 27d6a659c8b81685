using System.Runtime.InteropServices;

namespace Toolgrid.Backends.Local.Native;

/// <summary>The few libc calls .NET has no API for: flock, kill, renameat2, geteuid, and plain file I/O.</summary>
/// <remarks>
/// Run files are read and written with our own <c>open</c>/<c>read</c>/<c>write</c>, not with
/// <see cref="FileStream"/>: on Unix .NET emulates <see cref="FileShare"/> with flock on every file it
/// opens, and a run file's flock is its shepherd's lock (a read through .NET would fail while the
/// shepherd holds it, and a probe would be a lock operation of its own).
/// </remarks>
internal static unsafe partial class Libc
{
    public const int ORdOnly = 0;
    public const int OWrOnly = 1;
    public const int ORdWr = 2;
    public const int OCreat = 0x40;
    public const int OExcl = 0x80;
    public const int ONonBlock = 0x800;
    public const int ONoFollow = 0x20000;
    public const int OCloExec = 0x80000;
    public const int LockSh = 1;
    public const int LockEx = 2;
    public const int LockNb = 4;
    public const int LockUn = 8;
    public const int EIntr = 4;
    public const int ENoEnt = 2;
    public const int ESrch = 3;
    public const int EExist = 17;
    public const int EIsDir = 21;
    public const int ENotEmpty = 39;
    public const int ERange = 34;
    public const int EWouldBlock = 11;
    public const int AtFdCwd = -100;
    public const uint RenameNoReplace = 1;
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    public static partial nint PRead(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    public static partial nint PWrite(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    public static partial int FDataSync(int fd);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int FTruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Unlink(string path);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);
}
