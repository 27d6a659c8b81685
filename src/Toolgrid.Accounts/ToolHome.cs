using System.Runtime.InteropServices;
using Toolgrid.Core.Errors;
using Toolgrid.Native;

namespace Toolgrid.Accounts;

/// <summary>Makes a tool's home, <c>&lt;data root&gt;/&lt;tool&gt;</c>, and the <c>public_html/</c> in it.</summary>
/// <remarks>
/// <para>
/// Both get the configured mode (<see cref="ToolAccountsOptions.HomeMode"/>, 02770 by default)
/// and belong to the tool's user and group: the setgid bit keeps new files in the tool's group,
/// so its maintainers (members of the group) can work there, while other users and other tools
/// can neither read nor write (toolgridd, as root, serves <c>public_html</c> and reads logs).
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
    /// <param name="mode">The mode of the home and of <c>public_html/</c>.</param>
    /// <returns>The home's path.</returns>
    public static string Prepare(string dataRoot, string tool, (int Uid, int Gid)? owner, UnixFileMode mode)
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

            var homeFd = MakeDirectory(root, tool, home, owner, mode);
            try
            {
                var publicHtml = MakeDirectory(homeFd, PublicHtml, Path.Combine(home, PublicHtml), owner, mode);
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

    /// <summary>
    /// Gives an existing home and its <c>public_html/</c> (when there is one) the mode, through
    /// their descriptors; a symbolic link in the place of either is refused.
    /// </summary>
    /// <returns>Whether the home exists.</returns>
    public static bool Repair(string dataRoot, string tool, UnixFileMode mode)
    {
        int home;
        try
        {
            home = OpenHome(dataRoot, tool);
        }
        catch (ToolgridException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }

        try
        {
            var path = Path.Combine(dataRoot, tool);
            if (LibC.FChMod(home, (uint)mode) != 0)
            {
                throw Failed("change the mode of", path, Marshal.GetLastPInvokeError());
            }

            var publicHtml = LibC.OpenAt(home, PublicHtml, LibC.OpenDirectoryNoFollow);
            if (publicHtml < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                return error == LibC.ENOENT ? true : throw Failed("open", Path.Combine(path, PublicHtml), error);
            }

            try
            {
                return LibC.FChMod(publicHtml, (uint)mode) == 0 ? true : throw Failed("change the mode of", Path.Combine(path, PublicHtml), Marshal.GetLastPInvokeError());
            }
            finally
            {
                _ = LibC.Close(publicHtml);
            }
        }
        finally
        {
            _ = LibC.Close(home);
        }
    }

    /// <summary>Opens an existing home, <c>&lt;data root&gt;/&lt;tool&gt;</c>, refusing a symbolic link in its place.</summary>
    /// <returns>An open descriptor of the home, which the caller closes.</returns>
    public static int OpenHome(string dataRoot, string tool)
    {
        // The data root is the operator's and may be a symbolic link (/data/project -> /srv/…).
        var root = LibC.Open(dataRoot, LibC.OpenDirectory);
        if (root < 0)
        {
            throw Failed("open", dataRoot, Marshal.GetLastPInvokeError());
        }

        try
        {
            var home = LibC.OpenAt(root, tool, LibC.OpenDirectoryNoFollow);
            if (home < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                var path = Path.Combine(dataRoot, tool);
                throw error == LibC.ENOENT
                    ? ToolgridException.NotFound("tool-home-missing", $"Tool '{tool}' has no home at {path}; create the tool first ('toolgrid tools create {tool}').")
                    : Failed("open", path, error);
            }

            return home;
        }
        finally
        {
            _ = LibC.Close(root);
        }
    }

    /// <summary>
    /// Makes the directory <paramref name="name"/> in <paramref name="parent"/> unless it is
    /// there, refusing a symbolic link in its place, and gives it its owner and mode through its
    /// descriptor.
    /// </summary>
    /// <param name="parent">An open descriptor of the directory it goes in.</param>
    /// <param name="name">Its name in there.</param>
    /// <param name="path">Its path, for messages.</param>
    /// <param name="owner">Its uid and gid, or null to leave them as they are.</param>
    /// <param name="mode">Its mode.</param>
    /// <returns>An open descriptor of the directory, which the caller closes.</returns>
    public static int MakeDirectory(int parent, string name, string path, (int Uid, int Gid)? owner, UnixFileMode mode)
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

            if (LibC.FChMod(fd, (uint)mode) != 0)
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

    /// <summary>A failure to do <paramref name="what"/> to <paramref name="path"/>, saying why in words.</summary>
    public static ToolgridException Failed(string what, string path, int error)
    {
        // open(O_DIRECTORY | O_NOFOLLOW) refuses a symbolic link with ENOTDIR or ELOOP.
        var why = error switch
        {
            LibC.ELOOP or LibC.ENOTDIR when new FileInfo(path).LinkTarget is not null => "it is a symbolic link, not a directory; move it away and try again",
            LibC.ENOTDIR => "it is not a directory; move it away and try again",
            LibC.EISDIR => "it is a directory; move it away and try again",
            _ => $"{Marshal.GetPInvokeErrorMessage(error)} (errno {error})",
        };
        return new ToolgridException(ErrorKind.Unavailable, "tool-home-failed", $"Could not {what} {path}: {why}.");
    }
}
