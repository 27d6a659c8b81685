using System.Runtime.InteropServices;
using NativeSpawn = Toolgrid.Native.Processes.Spawn;

namespace Toolgrid.Bench.Native;

/// <summary>posix_spawn, waitpid and the few other libc calls the floor measurements need.</summary>
/// <remarks>
/// glibc's posix_spawn is a vfork-style clone and an exec: the cheapest way a program can start
/// another one. The bench spawns with toolgridd's own code (Toolgrid.Native's <see cref="NativeSpawn"/>),
/// so the floor the platform is compared with is the way toolgridd starts its shepherds.
/// </remarks>
internal static unsafe partial class Posix
{
    public const int SigKill = 9;
    private const int ENoEnt = 2;
    private const int EIntr = 4;
    private const int OWrOnly = 1;
    private const int ODirectory = 0x10000;
    private const int OCloExec = 0x80000;

    /// <summary>The bench's own standard error, which a spawned program's errors go to.</summary>
    private const int StandardError = 2;

    /// <summary>
    /// Starts <paramref name="path"/> with <paramref name="arguments"/> (argv[0] is the path) the way
    /// toolgridd starts its shepherds (<see cref="NativeSpawn.Start"/>: an empty environment, stdin
    /// and stdout on /dev/null); its errors go to the bench's. Returns the pid.
    /// </summary>
    public static int Spawn(string path, IReadOnlyList<string> arguments)
    {
        var pid = NativeSpawn.Start(path, arguments, StandardError);
        return pid > 0 ? pid : throw new InvalidOperationException($"posix_spawn {path} failed: {Marshal.GetPInvokeErrorMessage(-pid)}");
    }

    /// <summary>Waits for the child <paramref name="pid"/> and returns its wait status.</summary>
    public static int Wait(int pid) =>
        NativeSpawn.Wait(pid, block: true) is { } status and >= 0 ? status : throw new InvalidOperationException($"waitpid({pid}) failed: it is not a child of the bench");

    public static void Kill(int pid, int signal) => _ = KillProcess(pid, signal);

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> with one write(2) and returns how long that call took.</summary>
    public static TimeSpan TimedWrite(string path, string text)
    {
        var fd = Open(path, OWrOnly | OCloExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(text);
            fixed (byte* data = bytes)
            {
                var begun = System.Diagnostics.Stopwatch.GetTimestamp();
                var written = Write(fd, data, bytes.Length);
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(begun);
                return written == bytes.Length
                    ? elapsed
                    : throw new IOException($"write to {path} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>fsync of a directory (after a rename in it), which .NET has no API for.</summary>
    public static void SyncDirectory(string path)
    {
        var fd = Open(path, ODirectory | OCloExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync {path} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    public static uint EffectiveUid() => GetEuid();

    /// <summary>fdatasync, which .NET has no API for (FileStream.Flush(true) is an fsync).</summary>
    public static void DataSync(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (FDataSync((int)handle.DangerousGetHandle()) != 0)
        {
            throw new IOException($"fdatasync failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>A whole file read with read(2), or null when it does not exist: a run file is its shepherd's flock,
    /// and .NET's FileStream takes a flock of its own on every open (it would fail while the shepherd holds its lock).</summary>
    public static byte[]? ReadAll(string path)
    {
        var fd = Open(path, OCloExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == ENoEnt ? null : throw new IOException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        try
        {
            var buffer = new byte[4096];
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                nint read;
                fixed (byte* start = buffer)
                {
                    read = Read(fd, start + length, buffer.Length - length);
                }

                if (read == 0)
                {
                    return buffer[..length];
                }

                if (read < 0 && Marshal.GetLastPInvokeError() != EIntr)
                {
                    throw new IOException($"cannot read {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
                }

                length += (int)Math.Max(0, read);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillProcess(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, byte* data, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, byte* data, nint count);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();
}
