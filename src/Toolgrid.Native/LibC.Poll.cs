using System.Runtime.InteropServices;

namespace Toolgrid.Native;

/// <summary>Waiting on several descriptors at once: process descriptors (pidfd), an eventfd to wake the waiter, poll.</summary>
internal static unsafe partial class LibC
{
    /// <summary><c>SYS_pidfd_open</c> on x86-64 and arm64 (Linux 5.3).</summary>
    public const long SysPidfdOpen = 434;

    public const short PollIn = 0x1;
    public const int EventFdCloseOnExec = 0x80000;

    /// <summary>The <c>struct pollfd</c> of poll(2).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long first, long second);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);
}
