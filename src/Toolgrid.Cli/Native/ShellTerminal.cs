using System.Runtime.InteropServices;

namespace Toolgrid.Cli.Native;

/// <summary>
/// The caller's terminal during <c>toolgrid jobs shell</c>: put in raw mode (keys go to the run as
/// they are typed, Ctrl-C as the byte 0x03, no local echo) and put back as it was on dispose. Its
/// window size is read with <c>TIOCGWINSZ</c>. Plain libc calls: .NET's console would reconfigure
/// the terminal itself (and write terminfo sequences) if its own APIs were used.
/// </summary>
internal sealed class ShellTerminal : IDisposable
{
    private const string Library = "libc";
    private const int StdinFd = 0;
    private const int StdoutFd = 1;
    private const int TcsaNow = 0;
    private const nuint TiocGWinSz = 0x5413;

    // struct termios is 60 bytes on Linux; room to spare.
    private readonly byte[] _saved = new byte[128];
    private bool _restored;

    private ShellTerminal()
    {
    }

    /// <summary>Puts standard input's terminal in raw mode; null when that cannot be done (it is not a terminal).</summary>
    public static ShellTerminal? EnterRawMode()
    {
        var terminal = new ShellTerminal();
        if (TcGetAttr(StdinFd, terminal._saved) != 0)
        {
            return null;
        }

        var raw = (byte[])terminal._saved.Clone();
        CfMakeRaw(raw);
        return TcSetAttr(StdinFd, TcsaNow, raw) == 0 ? terminal : null;
    }

    /// <summary>Standard output's window size, or null when it is not a terminal.</summary>
    public static (int Rows, int Columns)? WindowSize()
    {
        var size = new ushort[4];
        return IoCtl(StdoutFd, TiocGWinSz, size) == 0 && size[0] > 0 && size[1] > 0 ? (size[0], size[1]) : null;
    }

    public void Dispose()
    {
        if (!_restored)
        {
            _restored = true;
            _ = TcSetAttr(StdinFd, TcsaNow, _saved);
        }
    }

    [DllImport(Library, EntryPoint = "tcgetattr")]
    private static extern int TcGetAttr(int fd, [Out] byte[] termios);

    [DllImport(Library, EntryPoint = "tcsetattr")]
    private static extern int TcSetAttr(int fd, int when, byte[] termios);

    [DllImport(Library, EntryPoint = "cfmakeraw")]
    private static extern void CfMakeRaw([In, Out] byte[] termios);

    [DllImport(Library, EntryPoint = "ioctl")]
    private static extern int IoCtl(int fd, nuint request, [Out] ushort[] size);
}
