using System.Runtime.InteropServices;

namespace Toolgrid.Cli.Native;

/// <summary>Replaces this process with another program (<c>execve</c>), the way a shell's <c>exec</c> does.</summary>
/// <remarks>
/// <para>
/// <c>become</c> ends in sudo and the tool's shell, which must own the terminal as if the user
/// had typed <c>sudo -niu tools.X</c>: same process, same process group, same file
/// descriptors, and no .NET process left in between to relay input or signals. So the process
/// is replaced rather than a child started.
/// </para>
/// <para>
/// What exec does not reset is put back first: the .NET runtime ignores SIGPIPE, and an
/// ignored signal stays ignored across exec (the shell's pipelines would then see EPIPE
/// errors instead of ending quietly); and the thread that calls may have signals blocked.
/// Both are restored if exec fails.
/// </para>
/// <para>
/// The signatures pass only pointers and integers (no marshalling, no unsafe code), so they
/// hold under native AOT.
/// </para>
/// </remarks>
internal static class ProcessImage
{
    private const string Library = "libc";
    private const int SigPipe = 13;
    private const int SigSetMask = 2;

    // sigset_t of glibc: 1024 bits.
    private const int SigSetSize = 128;

    /// <summary>Runs <paramref name="path"/> with <paramref name="argv"/> (argv[0] first) in place of this process, with its environment.</summary>
    /// <returns>Only when exec failed: its errno.</returns>
    public static int Replace(string path, IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var strings = new List<nint>();
        var vector = Marshal.AllocHGlobal((argv.Count + 1) * nint.Size);
        var empty = Marshal.AllocHGlobal(SigSetSize);
        var old = Marshal.AllocHGlobal(SigSetSize);
        try
        {
            for (var i = 0; i < argv.Count; i++)
            {
                var text = Marshal.StringToCoTaskMemUTF8(argv[i]);
                strings.Add(text);
                Marshal.WriteIntPtr(vector, i * nint.Size, text);
            }

            Marshal.WriteIntPtr(vector, argv.Count * nint.Size, 0);
            var file = Marshal.StringToCoTaskMemUTF8(path);
            strings.Add(file);
            Marshal.Copy(new byte[SigSetSize], 0, empty, SigSetSize);

            Console.Out.Flush();
            Console.Error.Flush();
            var pipe = Signal(SigPipe, 0);
            _ = SigProcMask(SigSetMask, empty, old);
            _ = ExecVE(file, vector, Environ());

            // Still here: exec failed. Put things back as they were.
            var error = Marshal.GetLastPInvokeError();
            _ = SigProcMask(SigSetMask, old, 0);
            _ = Signal(SigPipe, pipe);
            return error;
        }
        finally
        {
            strings.ForEach(Marshal.ZeroFreeCoTaskMemUTF8);
            Marshal.FreeHGlobal(vector);
            Marshal.FreeHGlobal(empty);
            Marshal.FreeHGlobal(old);
        }
    }

    /// <summary>The C library's <c>environ</c>: this process's environment exactly as it was given, bytes and all.</summary>
    private static nint Environ()
    {
        var libc = NativeLibrary.Load("libc.so.6");
        return Marshal.ReadIntPtr(NativeLibrary.GetExport(libc, "environ"));
    }

    [DllImport(Library, EntryPoint = "execve", SetLastError = true)]
    private static extern int ExecVE(nint path, nint argv, nint envp);

    [DllImport(Library, EntryPoint = "signal")]
    private static extern nint Signal(int signal, nint handler);

    [DllImport(Library, EntryPoint = "sigprocmask")]
    private static extern int SigProcMask(int how, nint set, nint old);
}
