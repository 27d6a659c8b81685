using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Toolgrid.Native.Tests.Files;

/// <summary>A temporary home owned by a made-up tool user (no account needed: only numbers are checked), and a place outside it; removed at the end.</summary>
public sealed class ToolHomeDirectory : IDisposable
{
    /// <summary>A uid and gid no account on this machine has.</summary>
    public static readonly ToolUser Tool = new(61423, 61423);

    /// <summary>Another user: <c>nobody</c>.</summary>
    public static readonly ToolUser Other = new(65534, 65534);

    private readonly string _root = Directory.CreateTempSubdirectory("toolgrid-native-").FullName;

    public ToolHomeDirectory()
    {
        Home = Path.Combine(_root, "home");
        Outside = Path.Combine(_root, "outside");
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(Outside);
        Give(Home, Tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
    }

    public string Home { get; }

    /// <summary>A directory beside the home, on the same file system.</summary>
    public string Outside { get; }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>, owned by <paramref name="owner"/> with <paramref name="mode"/>.</summary>
    public static string Write(string path, string text, ToolUser owner, UnixFileMode mode)
    {
        File.WriteAllText(path, text);
        Give(path, owner, mode);
        return path;
    }

    public static void Give(string path, ToolUser owner, UnixFileMode mode)
    {
        File.SetUnixFileMode(path, mode);
        var fd = LibC.Open(path, LibC.OReadOnly | LibC.ONonBlocking | LibC.OCloseOnExec);
        Assert.True(fd >= 0, $"open {path}: errno {Marshal.GetLastPInvokeError()}");
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        Assert.Equal(0, LibC.FChOwn(fd, (uint)owner.Uid, (uint)owner.Gid));
    }

    /// <summary>Runs a program (argv, no shell) and demands that it succeeds.</summary>
    public static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} failed: {error}");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
