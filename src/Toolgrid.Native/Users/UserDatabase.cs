using System.Runtime.InteropServices;

namespace Toolgrid.Native.Users;

/// <summary>What the user database (NSS) says of a tool's user: its login shell and its groups.</summary>
/// <remarks>
/// Looked up here, in toolgridd, and written into the run's spec, so that the shepherd reads no
/// user database: it loads no NSS modules (it is linked statically, and a start costs it no
/// dynamic loading), and nothing between its fork and the exec needs a lock NSS could hold.
/// A lookup here costs a few tens of microseconds (the modules are loaded once per process).
/// </remarks>
public static unsafe partial class UserDatabase
{
    private const string DefaultShell = "/bin/sh";

    /// <summary>The account, or an error in words when its groups cannot be read.</summary>
    /// <param name="user">The user's name.</param>
    /// <param name="uid">Its uid.</param>
    /// <param name="gid">Its primary group.</param>
    /// <param name="withGroups">Whether the groups are needed (the shepherd switches users only when the run's uid is not its own).</param>
    /// <param name="error">Why the account cannot be used.</param>
    public static UnixAccount? Lookup(string user, int uid, int gid, bool withGroups, out string? error)
    {
        error = null;
        var shell = Shell(uid) ?? DefaultShell;
        if (!withGroups)
        {
            return new UnixAccount(shell, []);
        }

        if (Groups(user, gid) is not { } groups)
        {
            error = $"cannot read the groups of {user}";
            return null;
        }

        return new UnixAccount(shell, groups);
    }

    /// <summary>The login shell of <paramref name="uid"/>, or null when the database has none.</summary>
    private static string? Shell(int uid)
    {
        var size = 1024;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var buffer = new byte[size];
            Passwd entry;
            Passwd* result;
            int rc;
            fixed (byte* start = buffer)
            {
                rc = GetPwUidR((uint)uid, &entry, start, (nuint)size, &result);
                if (rc == 0)
                {
                    // Only an absolute path: it becomes $SHELL, and the shepherd refuses anything else.
                    return result is null || entry.Shell == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(entry.Shell) is ['/', ..] shell ? shell : null;
                }
            }

            if (rc != LibC.ERANGE)
            {
                return null;
            }

            size *= 4;
        }

        return null;
    }

    /// <summary>The groups of <paramref name="user"/> (the primary one included), or null when they cannot be read.</summary>
    private static int[]? Groups(string user, int gid)
    {
        var count = 64;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var groups = new uint[count];
            var found = count;
            int rc;
            fixed (uint* start = groups)
            {
                rc = GetGroupList(user, (uint)gid, start, &found);
            }

            if (rc >= 0)
            {
                return [.. groups[..found].Select(g => (int)g)];
            }

            count = found > count ? found : count * 2;
        }

        return null;
    }

    /// <summary>glibc's <c>struct passwd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Passwd
    {
        public IntPtr Name;
        public IntPtr Password;
        public uint Uid;
        public uint Gid;
        public IntPtr Gecos;
        public IntPtr Home;
        public IntPtr Shell;
    }

    [LibraryImport("libc", EntryPoint = "getpwuid_r")]
    private static partial int GetPwUidR(uint uid, Passwd* entry, byte* buffer, nuint size, Passwd** result);

    [LibraryImport("libc", EntryPoint = "getgrouplist", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int GetGroupList(string user, uint group, uint* groups, int* count);
}
