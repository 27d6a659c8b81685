using System.Runtime.InteropServices;

namespace Toolgrid.Bench.Scale;

/// <summary>The effective uid of the calling thread alone, for one <c>connect(2)</c> as another user.</summary>
/// <remarks>
/// glibc's <c>seteuid</c> changes every thread of the process; the raw system call changes only
/// the caller's (Linux keeps credentials per thread). A Unix socket's peer credentials
/// (SO_PEERCRED, which toolgridd's API reads) are those of the thread that connected, taken at
/// <c>connect</c>, so a connection made between <see cref="Become"/> and <see cref="Restore"/>
/// is the user's for as long as it lives, while the bench stays root.
/// </remarks>
internal static partial class ThreadIdentity
{
    /// <summary>setresuid on x86-64 and arm64 differ: 117 and 147.</summary>
    private static readonly long SetResUid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 147 : 117;

    private static readonly long SetResGid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 149 : 119;

    public static void Become(int uid, int gid)
    {
        Check(Syscall(SetResGid, -1, gid, -1), "setresgid");
        Check(Syscall(SetResUid, -1, uid, -1), "setresuid");
    }

    public static void Restore()
    {
        Check(Syscall(SetResUid, -1, 0, -1), "setresuid");
        Check(Syscall(SetResGid, -1, 0, -1), "setresgid");
    }

    private static void Check(long result, string call)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"{call} on the bench's thread failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long a, long b, long c);
}
