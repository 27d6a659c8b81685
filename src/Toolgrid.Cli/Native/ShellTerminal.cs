using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Toolgrid.Cli.Native;

/// <summary>
/// The caller's terminal during <c>toolgrid jobs shell</c>: put in raw mode (keys go to the run as
/// they are typed, Ctrl-C as the byte 0x03 once the session is there, no local echo) and put back
/// as it was on dispose. Its window size is read with <c>TIOCGWINSZ</c>. Plain libc calls: .NET's
/// console would reconfigure the terminal itself (and write terminfo sequences) if its own APIs were used.
/// </summary>
/// <remarks>
/// The terminal is taken before the CLI connects, so that keys typed meanwhile wait for the run
/// as they are (a ^D is not the end of the CLI's input, nothing is echoed twice); until
/// <see cref="PassCtrlC"/>, Ctrl-C still interrupts the CLI (SIGINT), so that a connection that
/// hangs can be given up. Only Ctrl-C: ^\ and ^Z are keys for the run from the start.
/// </remarks>
internal sealed class ShellTerminal : IDisposable
{
    private const string Library = "libc";
    private const int StdinFd = 0;
    private const int StdoutFd = 1;
    private const int TcsaNow = 0;
    private const nuint TiocGWinSz = 0x5413;

    // Linux's struct termios: c_lflag at 12, c_cc from 17; ISIG, VQUIT, VSUSP, _POSIX_VDISABLE.
    private const int LocalFlags = 12;
    private const int ControlChars = 17;
    private const uint Isig = 0x1;
    private const int VQuit = 1;
    private const int VSusp = 10;
    private const byte Disabled = 0;

    // struct termios is 60 bytes on Linux; room to spare.
    private readonly byte[] _saved = new byte[128];
    private byte[] _raw = [];
    private bool _restored;

    private ShellTerminal()
    {
    }

    /// <summary>Puts standard input's terminal in raw mode but for Ctrl-C, which interrupts the CLI until <see cref="PassCtrlC"/>; null when that cannot be done (it is not a terminal).</summary>
    public static ShellTerminal? EnterRawMode()
    {
        var terminal = new ShellTerminal();
        if (TcGetAttr(StdinFd, terminal._saved) != 0)
        {
            return null;
        }

        terminal._raw = (byte[])terminal._saved.Clone();
        CfMakeRaw(terminal._raw);
        var interruptible = (byte[])terminal._raw.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(
            interruptible.AsSpan(LocalFlags),
            BinaryPrimitives.ReadUInt32LittleEndian(interruptible.AsSpan(LocalFlags)) | Isig);
        interruptible[ControlChars + VQuit] = Disabled;
        interruptible[ControlChars + VSusp] = Disabled;
        return TcSetAttr(StdinFd, TcsaNow, interruptible) == 0 ? terminal : null;
    }

    /// <summary>Makes Ctrl-C a key like the others (the byte 0x03, for the run), once the session is there.</summary>
    public void PassCtrlC()
    {
        if (!_restored)
        {
            _ = TcSetAttr(StdinFd, TcsaNow, _raw);
        }
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
