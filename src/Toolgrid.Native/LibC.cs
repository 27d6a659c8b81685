using System.Runtime.InteropServices;

namespace Toolgrid.Native;

/// <summary>The C library calls toolgridd makes (user database, files, locks, signals). Linux (glibc) only.</summary>
/// <remarks>
/// The reentrant <c>_r</c> lookups return their error number rather than setting errno, and
/// report "not found" as success with a null result. Only blittable types cross the boundary;
/// names go in as NUL-terminated UTF-8.
/// </remarks>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int ERANGE = 34;
    public const int EWOULDBLOCK = 11;
    public const int ENAMETOOLONG = 36;
    public const int ENOTEMPTY = 39;
    public const int ELOOP = 40;

    /// <summary>The <c>struct passwd</c> of glibc.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Passwd
    {
        public byte* Name;
        public byte* Password;
        public uint Uid;
        public uint Gid;
        public byte* Gecos;
        public byte* Dir;
        public byte* Shell;
    }

    /// <summary>The <c>struct group</c> of glibc.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Group
    {
        public byte* Name;
        public byte* Password;
        public uint Gid;
        public byte** Members;
    }

    [LibraryImport(Library, EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetPwNam(string name, Passwd* pwd, byte* buffer, nuint length, Passwd** result);

    [LibraryImport(Library, EntryPoint = "getpwuid_r")]
    public static partial int GetPwUid(uint uid, Passwd* pwd, byte* buffer, nuint length, Passwd** result);

    [LibraryImport(Library, EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetGrNam(string name, Group* grp, byte* buffer, nuint length, Group** result);

    [LibraryImport(Library, EntryPoint = "getgrgid_r")]
    public static partial int GetGrGid(uint gid, Group* grp, byte* buffer, nuint length, Group** result);

    [LibraryImport(Library, EntryPoint = "setpwent")]
    public static partial void SetPwEnt();

    [LibraryImport(Library, EntryPoint = "getpwent_r")]
    public static partial int GetPwEnt(Passwd* pwd, byte* buffer, nuint length, Passwd** result);

    [LibraryImport(Library, EntryPoint = "endpwent")]
    public static partial void EndPwEnt();

    [LibraryImport(Library, EntryPoint = "setgrent")]
    public static partial void SetGrEnt();

    [LibraryImport(Library, EntryPoint = "getgrent_r")]
    public static partial int GetGrEnt(Group* grp, byte* buffer, nuint length, Group** result);

    [LibraryImport(Library, EntryPoint = "endgrent")]
    public static partial void EndGrEnt();

    /// <summary>Returns -1 when <paramref name="count"/> was too small, having set it to the number needed.</summary>
    [LibraryImport(Library, EntryPoint = "getgrouplist", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetGroupList(string user, uint group, uint* groups, int* count);

    [LibraryImport(Library, EntryPoint = "geteuid")]
    public static partial uint GetEUid();

    [LibraryImport(Library, EntryPoint = "getegid")]
    public static partial uint GetEGid();

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAt(int directory, string path, int flags);

    /// <summary><c>openat</c> with a mode, for <see cref="CreateFileNoFollow"/>; the mode is the variadic argument, passed as glibc reads it on Linux.</summary>
    [LibraryImport(Library, EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAt(int directory, string path, int flags, uint mode);

    [LibraryImport(Library, EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RenameAt(int fromDirectory, string from, int toDirectory, string to);

    [LibraryImport(Library, EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UnlinkAt(int directory, string path, int flags);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    [LibraryImport(Library, EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkDirAt(int directory, string path, uint mode);

    [LibraryImport(Library, EntryPoint = "fchown", SetLastError = true)]
    public static partial int FChOwn(int fd, uint uid, uint gid);

    [LibraryImport(Library, EntryPoint = "fchmod", SetLastError = true)]
    public static partial int FChMod(int fd, uint mode);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    private static readonly bool ArmFlags = RuntimeInformation.ProcessArchitecture
        is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 or Architecture.Ppc64le;

    // O_DIRECTORY and O_NOFOLLOW differ between architectures: ARM and POWER have their own
    // values, the others take those of asm-generic. O_RDONLY is 0.
    public static readonly int ODirectory = ArmFlags ? 0x4000 : 0x10000;
    public static readonly int ONoFollow = ArmFlags ? 0x8000 : 0x20000;
    public const int OReadOnly = 0;
    public const int OWriteOnly = 0x1;
    public const int OReadWrite = 0x2;
    public const int OCreate = 0x40;
    public const int OExclusive = 0x80;
    public const int ONoControllingTerminal = 0x100;
    public const int ONonBlocking = 0x800;
    public const int OCloseOnExec = 0x80000;

    /// <summary><c>unlinkat</c>'s flag to remove a directory.</summary>
    public const int AtRemoveDirectory = 0x200;

    /// <summary><c>O_RDONLY | O_DIRECTORY | O_CLOEXEC</c>.</summary>
    public static int OpenDirectory => ODirectory | OCloseOnExec;

    /// <summary><c>O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC</c>: fails on a symbolic link.</summary>
    public static int OpenDirectoryNoFollow => ODirectory | ONoFollow | OCloseOnExec;

    /// <summary>
    /// <c>O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC</c>: makes a new file, and fails
    /// when anything (a file, a symbolic link) is there already.
    /// </summary>
    public static int CreateFileNoFollow => OWriteOnly | OCreate | OExclusive | ONoFollow | OCloseOnExec;

    /// <summary>
    /// <c>O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC</c>: opens what is there for
    /// reading, refusing a symbolic link, and without waiting on a FIFO or taking a terminal.
    /// </summary>
    public static int ReadFileNoFollow => ONoFollow | ONonBlocking | ONoControllingTerminal | OCloseOnExec;

    /// <summary>Reads up to <paramref name="buffer"/>'s length, carrying on after short reads and interruptions, until the end.</summary>
    /// <returns>The bytes read, or -errno when a read failed.</returns>
    public static int ReadAll(int fd, Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            var done = 0;
            while (done < buffer.Length)
            {
                var read = Read(fd, start + done, (nuint)(buffer.Length - done));
                if (read < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error == EINTR)
                    {
                        continue;
                    }

                    return -error;
                }

                if (read == 0)
                {
                    break;
                }

                done += (int)read;
            }

            return done;
        }
    }

    /// <summary>Writes all of <paramref name="bytes"/>, carrying on after short writes and interruptions.</summary>
    /// <returns>0, or the errno of the write that failed.</returns>
    public static int WriteAll(int fd, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            var done = 0;
            while (done < bytes.Length)
            {
                var written = Write(fd, start + done, (nuint)(bytes.Length - done));
                if (written < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error == EINTR)
                    {
                        continue;
                    }

                    return error;
                }

                done += (int)written;
            }
        }

        return 0;
    }

    /// <summary>Reads a NUL-terminated UTF-8 string, or "" for a null pointer.</summary>
    public static string Text(byte* text) => text is null ? "" : Marshal.PtrToStringUTF8((nint)text) ?? "";
}
