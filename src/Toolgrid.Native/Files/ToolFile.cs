using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Toolgrid.Native.Files;

/// <summary>
/// Opens a file in a tool's home for toolgridd, which may run as root, safely. The tool's user
/// controls everything in its home: a name there may be a symbolic link to <c>/etc/shadow</c>, a
/// directory linked to <c>/etc</c>, a hard link to another user's file, a FIFO meant to hang the
/// reader, or a device. So the file is opened first (without blocking, without taking a
/// terminal) and then what was opened is checked: it must really lie inside the home, be a
/// regular file (or a directory, when asked for), and be readable by the tool's user itself.
/// </summary>
/// <remarks>
/// <para>The checks are made on the open descriptor (<c>/proc/self/fd</c> and <c>statx</c>), so
/// that what is checked is what is read: a name swapped for a link after the check changes nothing.</para>
/// <para>A hard link cannot be told from the file it links to, and may lie in the home; the
/// readability check refuses one to a file the tool's user could not read (Debian's
/// <c>fs.protected_hardlinks=1</c> keeps it from making most such links, not root's own).
/// Readability is judged by the owner, group and other bits against the tool's uid and primary
/// group, as the kernel would for the tool's user, ACLs and supplementary groups left out: a
/// file it could read only through those is refused, never the other way round.</para>
/// <para>Symbolic links that stay inside the home are followed: a tool may link its
/// <c>public_html</c> to another directory of its own.</para>
/// </remarks>
public static class ToolFile
{
    private const int ReadFlags = LibC.OReadOnly | LibC.ONonBlocking | LibC.ONoControllingTerminal | LibC.OCloseOnExec;

    /// <summary>Opens <paramref name="relative"/> under <paramref name="home"/> for reading on behalf of <paramref name="user"/>.</summary>
    /// <param name="home">The tool's home.</param>
    /// <param name="relative">The path inside it; an absolute one is still checked against the home.</param>
    /// <param name="user">The tool's user; when null, the owner of <paramref name="home"/>.</param>
    /// <param name="allowDirectory">Whether a directory is opened too (to list it); otherwise it is refused.</param>
    public static ToolFileResult Open(string home, string relative, ToolUser? user = null, bool allowDirectory = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(home);
        ArgumentNullException.ThrowIfNull(relative);
        var realHome = LibC.RealPath(home);
        if (realHome is null)
        {
            return Missing(Marshal.GetLastPInvokeError());
        }

        var fd = LibC.Open(Path.Combine(home, relative), ReadFlags);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is LibC.ENOENT or LibC.ENOTDIR
                ? Missing(errno)
                : new ToolFileResult(ToolFileOutcome.CannotOpen, "cannot be opened: " + Marshal.GetPInvokeErrorMessage(errno), null, null, null, errno);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var result = Check(handle, fd, realHome, user, allowDirectory);
        if (result.Handle is null)
        {
            handle.Dispose();
        }

        return result;
    }

    private static ToolFileResult Check(SafeFileHandle handle, int fd, string realHome, ToolUser? user, bool allowDirectory)
    {
        var real = new FileInfo("/proc/self/fd/" + fd.ToString(CultureInfo.InvariantCulture)).LinkTarget;
        if (real is null || !real.StartsWith(realHome.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            return Refused(ToolFileOutcome.OutsideHome, $"leads outside the tool's home (to {real ?? "an unknown place"})", null, real);
        }

        var facts = LibC.Stat(fd);
        if (facts is null)
        {
            return Refused(ToolFileOutcome.CannotExamine, "cannot be examined: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()), null, real);
        }

        if (!facts.IsRegularFile && !(allowDirectory && facts.IsDirectory))
        {
            return Refused(ToolFileOutcome.NotRegularFile, "is not a regular file", facts, real);
        }

        var reader = user ?? OwnerOf(realHome);
        if (reader is null || !facts.ReadableBy(reader.Value))
        {
            return Refused(ToolFileOutcome.NotReadable, "is not readable by the tool's user", facts, real);
        }

        return new ToolFileResult(ToolFileOutcome.Opened, "", handle, facts, real, 0);
    }

    /// <summary>The owner of the home: the tool's user.</summary>
    private static ToolUser? OwnerOf(string realHome)
    {
        var fd = LibC.Open(realHome, LibC.OpenDirectory);
        if (fd < 0)
        {
            return null;
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        return LibC.Stat(fd) is { } facts ? new ToolUser(unchecked((int)facts.Uid), unchecked((int)facts.Gid)) : null;
    }

    private static ToolFileResult Missing(int errno) => new(ToolFileOutcome.Missing, "", null, null, null, errno);

    private static ToolFileResult Refused(ToolFileOutcome outcome, string reason, FileFacts? facts, string? real) => new(outcome, reason, null, facts, real, 0);
}
