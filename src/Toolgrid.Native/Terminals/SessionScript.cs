using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Toolgrid.Native.Terminals;

/// <summary>
/// An interactive run's job script as a file in its tool's home, which the grid's nodes share:
/// <c>qrsh</c> and <c>srun</c> are given its path, never the script, because a command line is
/// readable by every user of the host (<c>ps</c>, <c>/proc/PID/cmdline</c>), on the login host
/// and on the node, and the script holds the run's environment, secrets among it. Removed when
/// the run is forgotten, when its client could not be started, and by the script itself as soon
/// as it runs.
/// </summary>
/// <remarks>
/// The file is the tool user's alone (mode 0600, its uid and gid). toolgridd writes it as root
/// in a directory the tool controls, so nothing there is followed or reused: the home is opened
/// with <c>O_NOFOLLOW</c> (its parent is the operator's), the file made with
/// <c>O_CREAT | O_EXCL | O_NOFOLLOW</c> (a symbolic or hard link planted under its name is
/// refused, and the name removed and made again once), and chown and chmod go through the new
/// file's descriptor. It is removed with <c>unlinkat</c>, which follows no link either.
/// </remarks>
public sealed class SessionScript : IDisposable
{
    private const uint OwnerOnly = 0b110_000_000;

    private readonly string _home;
    private readonly string _name;
    private int _removed;

    private SessionScript(string home, string name)
    {
        _home = home;
        _name = name;
        Path = System.IO.Path.Combine(home, name);
    }

    /// <summary>The file's absolute path, on the nodes as here.</summary>
    public string Path { get; }

    /// <summary>The file's name in the home of run <paramref name="runId"/>: hidden, and the run's own.</summary>
    public static string NameOf(long runId) => ".toolgrid-session-" + runId.ToString(CultureInfo.InvariantCulture) + ".sh";

    /// <summary>The file's path for run <paramref name="runId"/> of a tool whose home is <paramref name="home"/>.</summary>
    public static string PathOf(string home, long runId) => System.IO.Path.Combine(home, NameOf(runId));

    /// <summary>Writes <paramref name="script"/> as run <paramref name="runId"/>'s file in <paramref name="home"/>, owned by <paramref name="uid"/>:<paramref name="gid"/>, mode 0600.</summary>
    /// <exception cref="IOException">The file could not be written (what failed, where, and why).</exception>
    public static SessionScript Write(string home, long runId, int uid, int gid, string script)
    {
        ArgumentException.ThrowIfNullOrEmpty(home);
        ArgumentNullException.ThrowIfNull(script);
        var written = new SessionScript(home, NameOf(runId));
        var directory = OpenHome(home);
        try
        {
            var fd = LibC.OpenAt(directory, written._name, LibC.CreateFileNoFollow, OwnerOnly);
            if (fd < 0 && Marshal.GetLastPInvokeError() == LibC.EEXIST)
            {
                // Left by a toolgridd that died, or put there by the tool: the name is the run's.
                _ = LibC.UnlinkAt(directory, written._name, 0);
                fd = LibC.OpenAt(directory, written._name, LibC.CreateFileNoFollow, OwnerOnly);
            }

            if (fd < 0)
            {
                throw Failed("create", written.Path, Marshal.GetLastPInvokeError());
            }

            try
            {
                Fill(fd, written.Path, uid, gid, Encoding.UTF8.GetBytes(script));
            }
            catch
            {
                _ = LibC.UnlinkAt(directory, written._name, 0);
                throw;
            }
            finally
            {
                _ = LibC.Close(fd);
            }
        }
        finally
        {
            _ = LibC.Close(directory);
        }

        return written;
    }

    /// <summary>Removes the file, once; a home or file already gone is no error.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _removed, 1) != 0)
        {
            return;
        }

        var directory = LibC.Open(_home, LibC.OpenDirectoryNoFollow);
        if (directory >= 0)
        {
            _ = LibC.UnlinkAt(directory, _name, 0);
            _ = LibC.Close(directory);
        }
    }

    private static void Fill(int fd, string path, int uid, int gid, byte[] bytes)
    {
        if (LibC.FChOwn(fd, unchecked((uint)uid), unchecked((uint)gid)) != 0)
        {
            throw Failed("give the tool's user", path, Marshal.GetLastPInvokeError());
        }

        // The mode of the creation was cut by toolgridd's umask, never widened: set exactly.
        if (LibC.FChMod(fd, OwnerOnly) != 0)
        {
            throw Failed("change the mode of", path, Marshal.GetLastPInvokeError());
        }

        if (LibC.WriteAll(fd, bytes) is var error and not 0)
        {
            throw Failed("write", path, error);
        }
    }

    private static int OpenHome(string home)
    {
        var directory = LibC.Open(home, LibC.OpenDirectoryNoFollow);
        return directory >= 0 ? directory : throw Failed("open the tool's home", home, Marshal.GetLastPInvokeError());
    }

    private static IOException Failed(string what, string path, int errno) =>
        new($"cannot {what} {path} (the interactive session's script): {Marshal.GetPInvokeErrorMessage(errno)}.");
}
