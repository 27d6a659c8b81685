using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Toolgrid.Notifications;

/// <summary>
/// Reads the last lines of a file in a tool's home, safely. toolgridd may run as root, and the
/// tool's user controls everything in its home: a log file may be a link to <c>/etc/shadow</c>,
/// or a FIFO meant to hang the reader, or endless. So the file is opened without blocking and
/// read only if the file actually opened lies inside the home and can be seeked, and at most a
/// fixed number of bytes is read from its end. (The idea of the API's <c>LogFile</c>, kept here
/// so that the controller does not depend on the server.)
/// </summary>
/// <remarks>
/// A hard link from the home to a file elsewhere cannot be told from a file of the home; Debian's
/// <c>fs.protected_hardlinks=1</c> (the default) keeps a tool from making one to a file it does not own.
/// </remarks>
internal static partial class LogTail
{
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;
    private const int NoControllingTerminal = 0x100;
    private const int CloseOnExec = 0x80000;
    private const int NoSuchFile = 2;
    private const int NotADirectory = 20;

    /// <summary>The last <paramref name="maxLines"/> lines within the last <paramref name="maxBytes"/> bytes of <paramref name="relative"/> under <paramref name="home"/>.</summary>
    /// <returns>The text (null when the file does not exist or is empty), or why it is not shown.</returns>
    public static LogTailResult Read(string home, string relative, int maxLines, int maxBytes)
    {
        var path = Path.Combine(home, relative);
        var fd = OpenFile(path, ReadOnly | NonBlocking | NoControllingTerminal | CloseOnExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is NoSuchFile or NotADirectory
                ? LogTailResult.Nothing
                : LogTailResult.Refused($"it cannot be read: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var real = new FileInfo($"/proc/self/fd/{fd}").LinkTarget ?? path;
        var realHome = RealPath(home) ?? home;
        if (!real.StartsWith(realHome.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            return LogTailResult.Refused($"it leads outside the tool's home (to {real})");
        }

        try
        {
            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            if (!stream.CanSeek)
            {
                return LogTailResult.Refused("it is not a regular file");
            }

            var length = stream.Length;
            var start = Math.Max(0, length - maxBytes);
            var buffer = new byte[(int)Math.Min(maxBytes, length - start)];
            stream.Position = start;
            var read = 0;
            while (read < buffer.Length)
            {
                var n = stream.Read(buffer, read, buffer.Length - read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, read);
            return read == 0 ? LogTailResult.Nothing : LogTailResult.Of(LastLines(text, cutAtStart: start > 0, maxLines));
        }
        catch (IOException e)
        {
            // A directory opens, and then fails to read (EISDIR).
            return LogTailResult.Refused($"it cannot be read: {e.Message}");
        }
    }

    /// <summary>The last lines of <paramref name="text"/>, without a line cut by the start of the read, with control characters made visible.</summary>
    internal static string LastLines(string text, bool cutAtStart, int maxLines)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        if (cutAtStart && lines.Length > 1)
        {
            lines = lines[1..];
        }

        var kept = lines.TakeLast(maxLines).Select(line => line.TrimEnd('\r'));
        return string.Join('\n', kept.Select(Printable));
    }

    /// <summary>Terminal escapes and other control characters would garble a mail: each becomes U+FFFD.</summary>
    private static string Printable(string line)
    {
        var builder = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            builder.Append(char.IsControl(c) && c != '\t' ? '\uFFFD' : c);
        }

        return builder.ToString();
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
