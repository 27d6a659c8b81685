using System.Runtime.InteropServices;
using System.Text;
using Toolgrid.Core.Accounts;
using Toolgrid.Native;

namespace Toolgrid.Accounts;

/// <summary>
/// Removes <c>&lt;home&gt;/.toolgrid/token</c>, where toolgridd once wrote each tool's own API
/// token, when it still holds a token toolgridd made.
/// </summary>
/// <remarks>
/// <para>
/// That file was a long-lived secret in the tool's home, which the tool's web server serves:
/// <c>python3 -m http.server</c> published it to anyone. Runs now reach the API over the Unix
/// socket, where the kernel says who they are, so no secret is kept in a home at all.
/// </para>
/// <para>
/// The home belongs to the tool, so anything in it may be a symbolic link meant to make root
/// read or remove a file elsewhere. As in <see cref="ToolHome"/>, nothing is reached by path:
/// the home and <c>.toolgrid</c> are opened without following links, the file is opened with
/// <c>O_NOFOLLOW | O_NONBLOCK</c> (a link is refused, a FIFO does not block) and read through
/// its descriptor, and only a file whose content is a token toolgridd made is unlinked, by name,
/// in the directory it was read in. Whatever else is there is the tool's, and is left alone.
/// </para>
/// </remarks>
internal static class LegacyTokenFile
{
    /// <summary>The directory in the home that held it.</summary>
    public const string DirectoryName = ".toolgrid";

    /// <summary>The file in <see cref="DirectoryName"/>.</summary>
    public const string FileName = "token";

    // A token file held one line of ~50 characters; anything longer is not one of ours.
    private const int MaxLength = 4096;

    /// <summary>Removes the file when <paramref name="isOurs"/> says its content is a token toolgridd made.</summary>
    /// <param name="dataRoot">Where homes are.</param>
    /// <param name="tool">The tool.</param>
    /// <param name="isOurs">Whether a token (the file's one line) is one toolgridd made for the tool.</param>
    public static LegacyTokenFileOutcome Remove(string dataRoot, string tool, Func<string, bool> isOurs)
    {
        int home;
        try
        {
            home = ToolHome.OpenHome(dataRoot, tool);
        }
        catch (Core.Errors.ToolgridException e) when (e.ErrorCode == "tool-home-missing")
        {
            return LegacyTokenFileOutcome.Absent;
        }

        try
        {
            var directory = LibC.OpenAt(home, DirectoryName, LibC.OpenDirectoryNoFollow);
            if (directory < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                return error == LibC.ENOENT ? LegacyTokenFileOutcome.Absent : LegacyTokenFileOutcome.NotOurs;
            }

            LegacyTokenFileOutcome outcome;
            try
            {
                outcome = RemoveFile(directory, Path.Combine(dataRoot, tool, DirectoryName, FileName), isOurs);
            }
            finally
            {
                _ = LibC.Close(directory);
            }

            if (outcome == LegacyTokenFileOutcome.Removed)
            {
                // The directory was made for the token alone; one the tool put more in stays.
                _ = LibC.UnlinkAt(home, DirectoryName, LibC.AtRemoveDirectory);
            }

            return outcome;
        }
        finally
        {
            _ = LibC.Close(home);
        }
    }

    private static LegacyTokenFileOutcome RemoveFile(int directory, string path, Func<string, bool> isOurs)
    {
        var fd = LibC.OpenAt(directory, FileName, LibC.ReadFileNoFollow);
        if (fd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == LibC.ENOENT ? LegacyTokenFileOutcome.Absent : LegacyTokenFileOutcome.NotOurs;
        }

        string content;
        try
        {
            var buffer = new byte[MaxLength + 1];
            var read = LibC.ReadAll(fd, buffer);
            if (read < 0 || read > MaxLength)
            {
                // A directory (EISDIR), or far too long to be a token.
                return LegacyTokenFileOutcome.NotOurs;
            }

            content = Encoding.UTF8.GetString(buffer, 0, read).Trim();
        }
        finally
        {
            _ = LibC.Close(fd);
        }

        if (content.Length == 0 || !isOurs(content))
        {
            return LegacyTokenFileOutcome.NotOurs;
        }

        if (LibC.UnlinkAt(directory, FileName, 0) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error != LibC.ENOENT)
            {
                throw ToolHome.Failed("remove", path, error);
            }
        }

        return LegacyTokenFileOutcome.Removed;
    }
}
