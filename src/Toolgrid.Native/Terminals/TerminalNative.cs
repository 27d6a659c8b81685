using System.Runtime.InteropServices;

namespace Toolgrid.Native.Terminals;

/// <summary>
/// The libc calls of an attach that .NET has no API for: a Unix socket's <c>recvmsg</c> with
/// <c>SCM_RIGHTS</c> (descriptors passed by the shepherd), <c>poll</c>, <c>eventfd</c>, and the
/// terminal's <c>ioctl(TIOCSWINSZ)</c> and raw input mode. Linux, 64-bit layouts.
/// </summary>
public static unsafe partial class TerminalNative
{
    public const int EIntr = 4;
    public const int EIo = 5;
    public const int EAgain = 11;
    public const int EPipe = 32;
    public const short PollIn = 0x1;
    public const short PollOut = 0x4;
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloExec = 0x80000;
    private const int SolSocket = 1;
    private const int ScmRights = 1;
    private const int MsgCmsgCloExec = 0x40000000;
    private const int FGetFl = 3;
    private const int FSetFl = 4;
    private const int ONonBlock = 0x800;
    private const int EfdCloExec = 0x80000;
    private const int EfdNonBlock = 0x800;
    private const nuint TiocSWinSz = 0x5414;
    private const nuint TiocSPtLck = 0x40045431;
    private const nuint TiocGPtPeer = 0x5441;
    private const int ORdWr = 2;
    private const int TcsaNow = 0;
    private const int TermiosOutputFlags = 4;
    private const uint OPost = 0x1;
    private const uint ONlCr = 0x4;
    private const int ONoCtty = 0x100;

    /// <summary>Connects a stream socket to <paramref name="path"/>; the descriptor, or -1 with the errno in <paramref name="error"/>.</summary>
    public static int Connect(string path, out int error)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path);
        var address = stackalloc byte[110];
        if (bytes.Length >= 108)
        {
            error = 36; // ENAMETOOLONG
            return -1;
        }

        new Span<byte>(address, 110).Clear();
        *(ushort*)address = AfUnix;
        bytes.CopyTo(new Span<byte>(address + 2, 108));
        var fd = SocketCall(AfUnix, SockStream | SockCloExec, 0);
        if (fd < 0)
        {
            error = Marshal.GetLastPInvokeError();
            return -1;
        }

        int rc;
        do
        {
            rc = ConnectCall(fd, address, (uint)(2 + bytes.Length + 1));
            error = rc < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        while (rc < 0 && error == EIntr);
        if (rc < 0)
        {
            CloseCall(fd);
            return -1;
        }

        return fd;
    }

    /// <summary>
    /// Receives one message with up to two descriptors (close-on-exec). Returns the data's length,
    /// 0 at end of stream, or -1 with the errno in <paramref name="error"/>; <paramref name="fds"/>
    /// gets the descriptors received (the caller owns them, also when the message is not what it expects).
    /// </summary>
    public static int ReceiveWithDescriptors(int socket, Span<byte> data, List<int> fds, out int error)
    {
        var control = stackalloc ulong[8];
        new Span<byte>(control, 64).Clear();
        fixed (byte* buffer = data)
        {
            var vector = new IoVector { Base = buffer, Length = (nuint)data.Length };
            var message = new MessageHeader { Iov = &vector, IovLength = 1, Control = control, ControlLength = 64 };
            nint got;
            do
            {
                got = RecvMsgCall(socket, &message, MsgCmsgCloExec);
                error = got < 0 ? Marshal.GetLastPInvokeError() : 0;
            }
            while (got < 0 && error == EIntr);
            if (got < 0)
            {
                return -1;
            }

            // Walk the control messages (cmsghdr: size_t len; int level; int type; data, 8-aligned).
            var at = (byte*)control;
            var end = at + (int)message.ControlLength;
            while (at + 16 <= end)
            {
                var length = (int)*(ulong*)at;
                if (length < 16 || at + length > end)
                {
                    break;
                }

                if (*(int*)(at + 8) == SolSocket && *(int*)(at + 12) == ScmRights)
                {
                    for (var i = 16; i + 4 <= length; i += 4)
                    {
                        fds.Add(*(int*)(at + i));
                    }
                }

                at += (length + 7) & ~7;
            }

            return (int)got;
        }
    }

    /// <summary>Waits until <paramref name="fd"/> is ready for <paramref name="events"/> or <paramref name="wake"/> is readable; the ready events of each (0 on timeout).</summary>
    public static (short Fd, short Wake) Poll(int fd, short events, int wake, int timeoutMs)
    {
        var fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = fd, Events = events };
        fds[1] = new PollFd { Fd = wake, Events = PollIn };
        var rc = PollCall(fds, 2, timeoutMs);
        return rc <= 0 ? ((short)0, (short)0) : (fds[0].Revents, fds[1].Revents);
    }

    public static void SetNonBlocking(int fd)
    {
        var flags = FcntlCall(fd, FGetFl, 0);
        if (flags < 0 || FcntlCall(fd, FSetFl, flags | ONonBlock) < 0)
        {
            throw new IOException($"cannot make descriptor {fd} non-blocking: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public static int NewEventFd()
    {
        var fd = EventFdCall(0, EfdCloExec | EfdNonBlock);
        return fd >= 0 ? fd : throw new IOException($"eventfd failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Makes an eventfd readable (for good).</summary>
    public static void Signal(int eventFd)
    {
        ulong one = 1;
        _ = WriteCall(eventFd, (byte*)&one, 8);
    }

    /// <summary>Sets a terminal's window size; 0, or the errno.</summary>
    public static int SetWindowSize(int fd, int rows, int columns)
    {
        var size = stackalloc ushort[4];
        size[0] = (ushort)rows;
        size[1] = (ushort)columns;
        size[2] = 0;
        size[3] = 0;
        return IoctlCall(fd, TiocSWinSz, size) < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>
    /// A new pseudo-terminal of <paramref name="rows"/> by <paramref name="columns"/>: its master and
    /// its slave (<c>TIOCGPTPEER</c>, so no path is looked up), both close-on-exec and neither the
    /// caller's controlling terminal. Throws <see cref="IOException"/> with the errno.
    /// </summary>
    public static (int Master, int Slave) OpenPseudoTerminal(int rows, int columns)
    {
        var master = OpenCall("/dev/ptmx", ORdWr | ONoCtty | SockCloExec);
        if (master < 0)
        {
            throw new IOException($"cannot open /dev/ptmx: errno {Marshal.GetLastPInvokeError()}");
        }

        int unlock = 0;
        var slave = IoctlCall(master, TiocSPtLck, &unlock) < 0 ? -1 : IoctlIntCall(master, TiocGPtPeer, ORdWr | ONoCtty | SockCloExec);
        var error = slave < 0 ? Marshal.GetLastPInvokeError() : SetWindowSize(master, rows, columns);
        if (error != 0)
        {
            CloseCall(master);
            if (slave >= 0)
            {
                CloseCall(slave);
            }

            throw new IOException($"cannot set up a pseudo-terminal: errno {error}");
        }

        return (master, slave);
    }

    /// <summary>
    /// Puts a terminal's input in raw mode (<c>cfmakeraw</c>: no echo, no line editing, no special
    /// keys), what is typed reaching its reader as it is; its output keeps a login terminal's
    /// processing (<c>OPOST|ONLCR</c>: a newline written is a carriage return and a newline). 0, or the errno.
    /// </summary>
    public static int MakeInputRaw(int fd)
    {
        // struct termios is 60 bytes on Linux; room to spare.
        var termios = stackalloc byte[128];
        if (TcGetAttrCall(fd, termios) < 0)
        {
            return Marshal.GetLastPInvokeError();
        }

        CfMakeRawCall(termios);
        *(uint*)(termios + TermiosOutputFlags) |= OPost | ONlCr;
        return TcSetAttrCall(fd, TcsaNow, termios) < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>read(2): the count, or -1 with the errno in <paramref name="error"/>.</summary>
    public static nint Read(int fd, Span<byte> buffer, out int error)
    {
        fixed (byte* p = buffer)
        {
            var n = ReadCall(fd, p, buffer.Length);
            error = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            return n;
        }
    }

    /// <summary>write(2): the count, or -1 with the errno in <paramref name="error"/>.</summary>
    public static nint Write(int fd, ReadOnlySpan<byte> buffer, out int error)
    {
        fixed (byte* p = buffer)
        {
            var n = WriteCall(fd, p, buffer.Length);
            error = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            return n;
        }
    }

    public static void Close(int fd) => CloseCall(fd);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int SocketCall(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int ConnectCall(int fd, byte* address, uint length);

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static partial nint RecvMsgCall(int fd, MessageHeader* message, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int PollCall(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int FcntlCall(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlCall(int fd, nuint request, void* argument);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlIntCall(int fd, nuint request, int argument);

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static partial int TcGetAttrCall(int fd, byte* termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static partial int TcSetAttrCall(int fd, int when, byte* termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    private static partial void CfMakeRawCall(byte* termios);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenCall(string path, int flags);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFdCall(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadCall(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteCall(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseCall(int fd);

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
