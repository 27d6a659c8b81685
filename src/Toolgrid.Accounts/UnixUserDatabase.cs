using System.Buffers;
using System.Runtime.InteropServices;
using Toolgrid.Core.Errors;
using Toolgrid.Native;

namespace Toolgrid.Accounts;

/// <summary>The host's user database, read through the C library (NSS: files, LDAP, sssd…).</summary>
/// <remarks>
/// <para>
/// Uses the reentrant lookups (<c>getpwnam_r</c>, <c>getpwuid_r</c>, <c>getgrnam_r</c>,
/// <c>getgrgid_r</c>, <c>getgrouplist</c>), which are safe from any thread; the buffers they
/// fill grow until the entry fits, so groups with thousands of members work. Nothing is cached.
/// </para>
/// <para>
/// Ids cross as <see cref="int"/> (as in <see cref="Core.Accounts.ToolAccount"/>); a uid above
/// <see cref="int.MaxValue"/> comes back negative and goes in again unchanged, bit for bit.
/// </para>
/// </remarks>
public sealed unsafe class UnixUserDatabase : IUserDatabase
{
    private const int MaxBufferSize = 64 * 1024 * 1024;

    // Linux's NGROUPS_MAX.
    private const int MaxGroupCount = 65536;

    // getpwent_r and getgrent_r read one process-wide stream: two enumerations at once would
    // each see part of it.
    private static readonly Lock EnumerationLock = new();

    private readonly int _initialBufferSize;
    private readonly int _initialGroupCount;

    public UnixUserDatabase()
        : this(initialBufferSize: 4096, initialGroupCount: 64)
    {
    }

    /// <summary>For tests: small starting sizes exercise the growing of the buffers.</summary>
    internal UnixUserDatabase(int initialBufferSize, int initialGroupCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialBufferSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(initialGroupCount, 1);
        _initialBufferSize = initialBufferSize;
        _initialGroupCount = initialGroupCount;
    }

    private delegate int PasswdCall(LibC.Passwd* entry, byte* buffer, nuint length, LibC.Passwd** result);

    private delegate int GroupCall(LibC.Group* entry, byte* buffer, nuint length, LibC.Group** result);

    public int EffectiveUid => unchecked((int)LibC.GetEUid());

    public int EffectiveGid => unchecked((int)LibC.GetEGid());

    public UnixUser? FindUser(int uid) =>
        LookUpUser($"user id {uid}", (entry, buffer, length, result) => LibC.GetPwUid(unchecked((uint)uid), entry, buffer, length, result));

    public UnixUser? FindUser(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IsLookupName(name)
            ? LookUpUser($"user '{name}'", (entry, buffer, length, result) => LibC.GetPwNam(name, entry, buffer, length, result))
            : null;
    }

    public UnixGroup? FindGroup(int gid) =>
        LookUpGroup($"group id {gid}", (entry, buffer, length, result) => LibC.GetGrGid(unchecked((uint)gid), entry, buffer, length, result));

    public UnixGroup? FindGroup(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IsLookupName(name)
            ? LookUpGroup($"group '{name}'", (entry, buffer, length, result) => LibC.GetGrNam(name, entry, buffer, length, result))
            : null;
    }

    public IReadOnlyList<int> GroupIdsOf(string userName)
    {
        var user = FindUser(userName);
        if (user is null)
        {
            return [];
        }

        var capacity = _initialGroupCount;
        while (true)
        {
            var groups = new uint[capacity];
            int count = capacity;
            int found;
            fixed (uint* first = groups)
            {
                found = LibC.GetGroupList(user.Name, unchecked((uint)user.Gid), first, &count);
            }

            if (found >= 0)
            {
                return groups.AsSpan(0, found).ToArray().Select(g => unchecked((int)g)).Distinct().ToArray();
            }

            if (capacity >= MaxGroupCount)
            {
                throw Unavailable($"the groups of user '{userName}'", $"more than {MaxGroupCount} groups");
            }

            // getgrouplist says how many it needs; grow at least twofold in case that changes meanwhile.
            capacity = Math.Min(MaxGroupCount, Math.Max(count, capacity * 2));
        }
    }

    public bool IsMember(string userName, string groupName)
    {
        var group = FindGroup(groupName);
        var user = group is null ? null : FindUser(userName);
        if (group is null || user is null)
        {
            return false;
        }

        return user.Gid == group.Gid
            || group.Members.Contains(user.Name, StringComparer.Ordinal)
            || GroupIdsOf(user.Name).Contains(group.Gid);
    }

    public IReadOnlyList<UnixUser> ListUsers()
    {
        var users = new List<UnixUser>();
        lock (EnumerationLock)
        {
            LibC.SetPwEnt();
            try
            {
                while (LookUpUser("the next user", LibC.GetPwEnt) is { } user)
                {
                    users.Add(user);
                }
            }
            finally
            {
                LibC.EndPwEnt();
            }
        }

        return users;
    }

    public IReadOnlyList<UnixGroup> ListGroups()
    {
        var groups = new List<UnixGroup>();
        lock (EnumerationLock)
        {
            LibC.SetGrEnt();
            try
            {
                while (LookUpGroup("the next group", LibC.GetGrEnt) is { } group)
                {
                    groups.Add(group);
                }
            }
            finally
            {
                LibC.EndGrEnt();
            }
        }

        return groups;
    }

    // A name with a NUL would be cut short on its way to C and find someone else.
    private static bool IsLookupName(string name) => name.Length > 0 && !name.Contains('\0', StringComparison.Ordinal);

    private UnixUser? LookUpUser(string what, PasswdCall call)
    {
        var size = _initialBufferSize;
        while (true)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                LibC.Passwd entry;
                LibC.Passwd* result = null;
                int error;
                fixed (byte* start = buffer)
                {
                    error = call(&entry, start, (nuint)buffer.Length, &result);
                    if (error == 0)
                    {
                        return result is null
                            ? null
                            : new UnixUser(
                                LibC.Text(result->Name),
                                unchecked((int)result->Uid),
                                unchecked((int)result->Gid),
                                LibC.Text(result->Dir),
                                LibC.Text(result->Shell));
                    }
                }

                size = NextSize(what, error, size, buffer.Length);
                if (size == 0)
                {
                    return null;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private UnixGroup? LookUpGroup(string what, GroupCall call)
    {
        var size = _initialBufferSize;
        while (true)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                LibC.Group entry;
                LibC.Group* result = null;
                int error;
                fixed (byte* start = buffer)
                {
                    error = call(&entry, start, (nuint)buffer.Length, &result);
                    if (error == 0)
                    {
                        if (result is null)
                        {
                            return null;
                        }

                        var members = new List<string>();
                        for (var member = result->Members; member is not null && *member is not null; member++)
                        {
                            members.Add(LibC.Text(*member));
                        }

                        return new UnixGroup(LibC.Text(result->Name), unchecked((int)result->Gid), members);
                    }
                }

                size = NextSize(what, error, size, buffer.Length);
                if (size == 0)
                {
                    return null;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>After a failed call: the buffer size to try again with, 0 for "not found", or throws.</summary>
    private static int NextSize(string what, int error, int size, int tried)
    {
        switch (error)
        {
            case LibC.ERANGE when tried < MaxBufferSize:
                return Math.Min(MaxBufferSize, Math.Max(size, tried) * 2);
            case LibC.EINTR:
                return size;

            // POSIX lets a lookup report "no such entry" with these (glibc itself returns 0 and
            // a null result; some NSS modules do not), and the enumerations end with ENOENT.
            case LibC.ENOENT or LibC.ESRCH:
                return 0;
            default:
                throw Unavailable(what, $"{Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
        }
    }

    private static ToolgridException Unavailable(string what, string why) =>
        new(ErrorKind.Unavailable, "user-database-unavailable", $"Looking up {what} in the user database failed: {why}.");
}
