using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Toolgrid.Native;

/// <summary><c>statx</c> of an open descriptor.</summary>
internal static unsafe partial class LibC
{
    private const int EmptyPath = 0x1000;
    private const uint BasicStats = 0x7ff;
    private const int StatxSize = 256;

    [LibraryImport(Library, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxNative(int dirfd, string path, int flags, uint mask, byte* buffer);

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
