using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Toolgrid.Core.Errors;

namespace Toolgrid.Server.Api;

/// <summary>
/// Opens a tool's log file for reading on its maintainers' behalf, safely: the API runs as
/// root, and the tool's user controls everything in its home, so a log file may be a symbolic
/// link to <c>/etc/shadow</c> or a FIFO meant to hang the reader. The file is opened without
/// blocking, and refused unless the opened file really lies in the home and can be seeked.
/// </summary>
public static partial class LogFile
{
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;
    private const int NoControllingTerminal = 0x100;
    private const int CloseOnExec = 0x80000;

    /// <summary>The opened file, or null when it does not exist (yet).</summary>
    public static FileStream? Open(string home, string relative)
    {
        var path = Path.Combine(home, relative);
        var fd = OpenFile(path, ReadOnly | NonBlocking | NoControllingTerminal | CloseOnExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is 2 or 20 ? null : throw new ToolgridException(ErrorKind.Forbidden, "log-unreadable", $"{relative} cannot be read: {Marshal.GetPInvokeErrorMessage(errno)}.");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var real = new FileInfo($"/proc/self/fd/{fd}").LinkTarget ?? path;
            var realHome = RealPath(home) ?? home;
            if (!real.StartsWith(realHome.TrimEnd('/') + "/", StringComparison.Ordinal))
            {
                throw new ToolgridException(ErrorKind.Forbidden, "log-outside-home", $"{relative} leads outside the tool's home (to {real}); it is not shown.");
            }

            var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            if (!stream.CanSeek)
            {
                stream.Dispose();
                throw new ToolgridException(ErrorKind.Forbidden, "log-not-a-file", $"{relative} is not a regular file; it is not shown.");
            }

            return stream;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static string? RealPath(string path)
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

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPathNative(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);
}
