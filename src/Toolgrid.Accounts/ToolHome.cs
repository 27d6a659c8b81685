using System.Runtime.InteropServices;
using Toolgrid.Core.Errors;

namespace Toolgrid.Accounts;

/// <summary>Makes a tool's home, <c>&lt;data root&gt;/&lt;tool&gt;</c>, and the <c>public_html/</c> in it.</summary>
/// <remarks>
/// <para>
/// Both are mode 02775 and belong to the tool's user and group: the setgid bit keeps new files
/// in the tool's group, so its maintainers (members of the group) can work there, while other
/// users and other tools cannot write.
/// </para>
/// <para>
/// The tool's user owns its home, so by the time this runs again (a retried creation) it could
/// have put a symbolic link where <c>public_html</c> was, pointing at a file of root's. Each
/// directory is therefore opened without following links and changed through its descriptor
/// (<c>fchown</c>, <c>fchmod</c>), never by path.
/// </para>
/// </remarks>
internal static class ToolHome
{
    /// <summary>rwxrwsr-x.</summary>
    public const UnixFileMode Mode =
        UnixFileMode.SetGroup
        | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>rwxr-xr-x, for a data root this makes.</summary>
    public const UnixFileMode DataRootMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public const string PublicHtml = "public_html";

    /// <summary>Makes (or repairs) the home and its <c>public_html/</c>.</summary>
    /// <param name="dataRoot">Where homes are; made when missing.</param>
    /// <param name="tool">The tool's name, a valid directory name.</param>
    /// <param name="owner">The tool's uid and gid, or null to leave the owner as it is (single-user mode).</param>
    /// <returns>The home's path.</returns>
    public static string Prepare(string dataRoot, string tool, (int Uid, int Gid)? owner)
    {
        var home = Path.Combine(dataRoot, tool);
        var made = false;
        if (!Directory.Exists(dataRoot))
        {
            try
            {
                Directory.CreateDirectory(dataRoot);
                made = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ToolgridException(ErrorKind.Unavailable, "tool-home-failed", $"Could not make the data root {dataRoot}: {e.Message}", e);
            }
        }

        // The data root is the operator's and may be a symbolic link (/data/project -> /srv/…).
        var root = LibC.Open(dataRoot, LibC.OpenDirectory);
        if (root < 0)
        {
            throw Failed("open", dataRoot, Marshal.GetLastPInvokeError());
        }

        try
        {
            // Every tool must reach its own home through it, whatever the umask.
            if (made && LibC.FChMod(root, (uint)DataRootMode) != 0)
            {
                throw Failed("change the mode of", dataRoot, Marshal.GetLastPInvokeError());
            }

            var homeFd = MakeDirectory(root, tool, home, owner);
            try
            {
                var publicHtml = MakeDirectory(homeFd, PublicHtml, Path.Combine(home, PublicHtml), owner);
                _ = LibC.Close(publicHtml);
            }
            finally
            {
                _ = LibC.Close(homeFd);
            }
        }
        finally
        {
            _ = LibC.Close(root);
        }

        return home;
    }

    /// <returns>An open descriptor of the directory, which the caller closes.</returns>
    private static int MakeDirectory(int parent, string name, string path, (int Uid, int Gid)? owner)
    {
        // 0700 until it has its owner and mode, so nobody can get in meanwhile.
        if (LibC.MkDirAt(parent, name, 0x1C0) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error != LibC.EEXIST)
            {
                throw Failed("make", path, error);
            }
        }

        var fd = LibC.OpenAt(parent, name, LibC.OpenDirectoryNoFollow);
        if (fd < 0)
        {
            throw Failed("open", path, Marshal.GetLastPInvokeError());
        }

        try
        {
            if (owner is var (uid, gid) && LibC.FChOwn(fd, unchecked((uint)uid), unchecked((uint)gid)) != 0)
            {
                throw Failed("change the owner of", path, Marshal.GetLastPInvokeError());
            }

            if (LibC.FChMod(fd, (uint)Mode) != 0)
            {
                throw Failed("change the mode of", path, Marshal.GetLastPInvokeError());
            }

            return fd;
        }
        catch
        {
            _ = LibC.Close(fd);
            throw;
        }
    }

    private static ToolgridException Failed(string what, string path, int error)
    {
        // open(O_DIRECTORY | O_NOFOLLOW) refuses a symbolic link with ENOTDIR or ELOOP.
        var why = error switch
        {
            LibC.ELOOP or LibC.ENOTDIR when new FileInfo(path).LinkTarget is not null => "it is a symbolic link, not a directory; move it away and try again",
            LibC.ENOTDIR => "it is not a directory; move it away and try again",
            _ => $"{Marshal.GetPInvokeErrorMessage(error)} (errno {error})",
        };
        return new ToolgridException(ErrorKind.Unavailable, "tool-home-failed", $"Could not {what} {path}: {why}.");
    }
}
