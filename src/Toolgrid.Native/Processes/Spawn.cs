using System.Runtime.InteropServices;

namespace Toolgrid.Native.Processes;

/// <summary>posix_spawn and what goes with it: a process started without .NET's Process machinery.</summary>
/// <remarks>
/// <see cref="System.Diagnostics.Process"/> costs about 2.5 ms per short-lived child here (pipes,
/// streams, its SIGCHLD bookkeeping); posix_spawn (a vfork and an exec in glibc) about 0.7 ms,
/// and a start is on the path from submit to running. .NET's SIGCHLD handler only reaps the
/// children it started itself, so a spawned child is ours to wait for.
/// </remarks>
public static unsafe partial class Spawn
{
    private const int OWrOnly = 1;
    private const int ECHILD = 10;
    private const int WNoHang = 1;

    /// <summary>glibc's posix_spawn_file_actions_t is 80 bytes on 64-bit; room to spare.</summary>
    private const int FileActionsSize = 256;

    /// <summary>Starts <paramref name="path"/> with <paramref name="arguments"/> (argv[0] is the path), an empty environment,
    /// stdin and stdout on /dev/null and stderr on <paramref name="stderrFd"/>. Returns the pid, or an errno as a negative number.</summary>
    public static int Start(string path, IReadOnlyList<string> arguments, int stderrFd)
    {
        var devNull = Marshal.StringToCoTaskMemUTF8("/dev/null");
        try
        {
            return StartWith(path, arguments, actions =>
            {
                var rc = AddOpen(actions, 0, devNull, LibC.OReadOnly, 0);
                rc = rc != 0 ? rc : AddOpen(actions, 1, devNull, OWrOnly, 0);
                return rc != 0 ? rc : AddDup2(actions, stderrFd, 2);
            });
        }
        finally
        {
            Marshal.FreeCoTaskMem(devNull);
        }
    }

    /// <summary>
    /// Starts <paramref name="path"/> with <paramref name="arguments"/> (argv[0] is the path) and an
    /// empty environment, its standard input, output and error on the given descriptors (which may
    /// be close-on-exec: the child's copies are not). Returns the pid, or an errno as a negative number.
    /// </summary>
    public static int StartOn(string path, IReadOnlyList<string> arguments, int stdinFd, int stdoutFd, int stderrFd) =>
        StartWith(path, arguments, actions =>
        {
            var rc = AddDup2(actions, stdinFd, 0);
            rc = rc != 0 ? rc : AddDup2(actions, stdoutFd, 1);
            return rc != 0 ? rc : AddDup2(actions, stderrFd, 2);
        });

    /// <summary>posix_spawn with the file actions <paramref name="addActions"/> adds (0, or an errno).</summary>
    private static int StartWith(string path, IReadOnlyList<string> arguments, Func<IntPtr, int> addActions)
    {
        var strings = new List<IntPtr>();
        var actions = Marshal.AllocHGlobal(FileActionsSize);
        var argv = (IntPtr*)Marshal.AllocHGlobal((arguments.Count + 2) * sizeof(IntPtr));
        var envp = (IntPtr*)Marshal.AllocHGlobal(sizeof(IntPtr));
        try
        {
            var pathString = Utf8(path);
            argv[0] = pathString;
            for (var i = 0; i < arguments.Count; i++)
            {
                argv[i + 1] = Utf8(arguments[i]);
            }

            argv[arguments.Count + 1] = IntPtr.Zero;
            envp[0] = IntPtr.Zero;

            var rc = FileActionsInit(actions);
            if (rc != 0)
            {
                return -rc;
            }

            try
            {
                rc = addActions(actions);
                if (rc != 0)
                {
                    return -rc;
                }

                int pid;
                rc = PosixSpawn(&pid, pathString, actions, IntPtr.Zero, argv, envp);
                return rc == 0 ? pid : -rc;
            }
            finally
            {
                _ = FileActionsDestroy(actions);
            }
        }
        finally
        {
            foreach (var s in strings)
            {
                Marshal.FreeCoTaskMem(s);
            }

            Marshal.FreeHGlobal(actions);
            Marshal.FreeHGlobal((IntPtr)argv);
            Marshal.FreeHGlobal((IntPtr)envp);
        }

        IntPtr Utf8(string text)
        {
            var pointer = Marshal.StringToCoTaskMemUTF8(text);
            strings.Add(pointer);
            return pointer;
        }
    }

    /// <summary>A pipe whose two ends are closed on exec. Returns false with errno on failure.</summary>
    public static bool Pipe(out int readFd, out int writeFd)
    {
        var fds = stackalloc int[2];
        var ok = Pipe2(fds, LibC.OCloseOnExec) == 0;
        readFd = fds[0];
        writeFd = fds[1];
        return ok;
    }

    /// <summary>Waits for the child and returns its wait status (blocking when <paramref name="block"/>); null when it has not exited.</summary>
    public static int? Wait(int pid, bool block)
    {
        while (true)
        {
            int status;
            var rc = WaitPid(pid, &status, block ? 0 : WNoHang);
            if (rc == pid)
            {
                return status;
            }

            if (rc == 0)
            {
                return null;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EINTR)
            {
                // ECHILD: someone else reaped it; how it ended is unknown.
                return errno == ECHILD ? -1 : throw new InvalidOperationException($"waitpid({pid}) failed: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(IntPtr actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(IntPtr actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen")]
    private static partial int AddOpen(IntPtr actions, int fd, IntPtr path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int AddDup2(IntPtr actions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn")]
    private static partial int PosixSpawn(int* pid, IntPtr path, IntPtr actions, IntPtr attributes, IntPtr* argv, IntPtr* envp);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, int* status, int options);
}
