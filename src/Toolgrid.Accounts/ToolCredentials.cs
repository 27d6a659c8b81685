using System.Runtime.InteropServices;
using System.Text;

namespace Toolgrid.Accounts;

/// <summary>
/// Writes a tool's API token to <c>&lt;home&gt;/.toolgrid/token</c>, where its runs (and the
/// CLI in them) find it: the directory 0700 and the file 0600, both the tool's own.
/// </summary>
/// <remarks>
/// <para>
/// The home belongs to the tool, so anything in it may have been replaced by a symbolic link
/// meant to make root write or change a file elsewhere. As in <see cref="ToolHome"/>, nothing
/// is reached by path: the home and <c>.toolgrid</c> are opened without following links and
/// changed through their descriptors; the token goes to a new file made with
/// <c>O_CREAT | O_EXCL | O_NOFOLLOW</c> in <c>.toolgrid</c>, which is then renamed over
/// <c>token</c>. A rename replaces the name, never what a link there points to.
/// </para>
/// <para>
/// The new file is 0600 from the moment it exists, and is given to the tool only once it is
/// whole, so no one else ever reads a token and the tool never reads half of one.
/// </para>
/// </remarks>
internal static class ToolCredentials
{
    /// <summary>The directory in the home that holds the credentials.</summary>
    public const string DirectoryName = ".toolgrid";

    /// <summary>The token's file in <see cref="DirectoryName"/>.</summary>
    public const string FileName = "token";

    /// <summary>rwx------.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw-------.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes (or replaces) the token.</summary>
    /// <param name="dataRoot">Where homes are.</param>
    /// <param name="tool">The tool, whose home must exist.</param>
    /// <param name="token">The token, one line of printable text.</param>
    /// <param name="owner">The tool's uid and gid, or null to leave the owner as it is (single-user mode).</param>
    /// <returns>The token file's path.</returns>
    public static string Write(string dataRoot, string tool, string token, (int Uid, int Gid)? owner)
    {
        var directoryPath = Path.Combine(dataRoot, tool, DirectoryName);
        var home = ToolHome.OpenHome(dataRoot, tool);
        try
        {
            var directory = ToolHome.MakeDirectory(home, DirectoryName, directoryPath, owner, DirectoryMode);
            try
            {
                Replace(directory, directoryPath, Encoding.UTF8.GetBytes(token + "\n"), owner);
            }
            finally
            {
                _ = LibC.Close(directory);
            }
        }
        finally
        {
            _ = LibC.Close(home);
        }

        return Path.Combine(directoryPath, FileName);
    }

    private static void Replace(int directory, string directoryPath, byte[] content, (int Uid, int Gid)? owner)
    {
        // A leading '.' keeps a file left by a crash out of the way; the random part makes a name
        // the tool cannot have prepared (and O_EXCL refuses one it did).
        var temporary = "." + FileName + "." + Guid.NewGuid().ToString("N");
        var temporaryPath = Path.Combine(directoryPath, temporary);
        var fd = LibC.OpenAt(directory, temporary, LibC.CreateFileNoFollow, (uint)FileMode);
        if (fd < 0)
        {
            throw ToolHome.Failed("make", temporaryPath, Marshal.GetLastPInvokeError());
        }

        var renamed = false;
        try
        {
            // The mode given to openat is reduced by the umask; this makes it exactly 0600.
            Check(LibC.FChMod(fd, (uint)FileMode), "change the mode of", temporaryPath);
            var error = LibC.WriteAll(fd, content);
            if (error != 0)
            {
                throw ToolHome.Failed("write", temporaryPath, error);
            }

            Check(LibC.FSync(fd), "write", temporaryPath);
            if (owner is var (uid, gid))
            {
                Check(LibC.FChOwn(fd, unchecked((uint)uid), unchecked((uint)gid)), "change the owner of", temporaryPath);
            }

            Check(LibC.RenameAt(directory, temporary, directory, FileName), "replace", Path.Combine(directoryPath, FileName));
            renamed = true;

            // The rename itself outlives a crash only once the directory is on disk.
            _ = LibC.FSync(directory);
        }
        finally
        {
            _ = LibC.Close(fd);
            if (!renamed)
            {
                _ = LibC.UnlinkAt(directory, temporary, 0);
            }
        }
    }

    private static void Check(int result, string what, string path)
    {
        if (result != 0)
        {
            throw ToolHome.Failed(what, path, Marshal.GetLastPInvokeError());
        }
    }
}
