using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Toolgrid.Proxy.Files;

/// <summary>The few libc calls needed to open a file in a tool's home safely and see what it is.</summary>
internal static partial class FileNative
{
    public const int ReadOnly = 0;
    public const int NonBlocking = 0x800;
    public const int NoControllingTerminal = 0x100;
    public const int CloseOnExec = 0x80000;

    public const int NoSuchFile = 2;
    public const int NotADirectory = 20;
    public const int TooManyLinks = 40;
    public const int NameTooLong = 36;

    private const int EmptyPath = 0x1000;
    private const uint BasicStats = 0x7ff;
    private const int StatxSize = 256;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPathNative(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatxNative(int dirfd, string path, int flags, uint mask, byte* buffer);

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

    /// <summary>What an open file descriptor is: <c>statx(fd, "", AT_EMPTY_PATH)</c>. The layout of <c>struct statx</c> is the same on every architecture.</summary>
    public static unsafe FileFacts? Stat(int fd)
    {
        var buffer = stackalloc byte[StatxSize];
        if (StatxNative(fd, "", EmptyPath, BasicStats, buffer) != 0)
        {
            return null;
        }

        var span = new ReadOnlySpan<byte>(buffer, StatxSize);
        var uid = BinaryPrimitives.ReadUInt32LittleEndian(span[20..]);
        var gid = BinaryPrimitives.ReadUInt32LittleEndian(span[24..]);
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(span[28..]);
        var size = BinaryPrimitives.ReadInt64LittleEndian(span[40..]);
        var mtimeSeconds = BinaryPrimitives.ReadInt64LittleEndian(span[112..]);
        var mtimeNanos = BinaryPrimitives.ReadUInt32LittleEndian(span[120..]);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("statx is read as little-endian.");
        }

        var modified = DateTimeOffset.FromUnixTimeSeconds(mtimeSeconds).AddTicks(mtimeNanos / 100);
        return new FileFacts(mode, uid, gid, size, modified);
    }
}

/// <summary>What <c>statx</c> says of a file.</summary>
/// <param name="Mode">Type and permission bits (<c>st_mode</c>).</param>
/// <param name="Uid">Owner.</param>
/// <param name="Gid">Group.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Modified">Last modification.</param>
internal sealed record FileFacts(int Mode, uint Uid, uint Gid, long Size, DateTimeOffset Modified)
{
    private const int TypeMask = 0xF000;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    public bool IsRegularFile => (Mode & TypeMask) == 0x8000;

    /// <summary>Whether a user with <paramref name="uid"/> and primary group <paramref name="gid"/> may read it (owner, group, then other bits, as the kernel checks them).</summary>
    public bool ReadableBy(int uid, int gid) =>
        uid == 0 || (Uid == (uint)uid ? (Mode & 0x100) != 0 : Gid == (uint)gid ? (Mode & 0x20) != 0 : (Mode & 0x4) != 0);

    /// <summary>Whether such a user may list a directory (read and search).</summary>
    public bool ListableBy(int uid, int gid) =>
        uid == 0 || (Uid == (uint)uid ? (Mode & 0x140) == 0x140 : Gid == (uint)gid ? (Mode & 0x28) == 0x28 : (Mode & 0x5) == 0x5);
}
