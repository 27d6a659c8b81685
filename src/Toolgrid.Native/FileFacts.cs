namespace Toolgrid.Native;

/// <summary>What <c>statx</c> says of a file.</summary>
/// <param name="Mode">Type and permission bits (<c>st_mode</c>).</param>
/// <param name="Uid">Owner.</param>
/// <param name="Gid">Group.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Modified">Last modification.</param>
public sealed record FileFacts(int Mode, uint Uid, uint Gid, long Size, DateTimeOffset Modified)
{
    private const int TypeMask = 0xF000;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    public bool IsRegularFile => (Mode & TypeMask) == 0x8000;

    /// <summary>Whether <paramref name="user"/> may read it, as a file when it is one, as a directory (read and search) when it is one.</summary>
    public bool ReadableBy(ToolUser user) => IsDirectory ? ListableBy(user.Uid, user.Gid) : ReadableBy(user.Uid, user.Gid);

    /// <summary>Whether a user with <paramref name="uid"/> and primary group <paramref name="gid"/> may read it (owner, group, then other bits, as the kernel checks them).</summary>
    public bool ReadableBy(int uid, int gid) =>
        uid == 0 || (Uid == (uint)uid ? (Mode & 0x100) != 0 : Gid == (uint)gid ? (Mode & 0x20) != 0 : (Mode & 0x4) != 0);

    /// <summary>Whether such a user may list a directory (read and search).</summary>
    public bool ListableBy(int uid, int gid) =>
        uid == 0 || (Uid == (uint)uid ? (Mode & 0x140) == 0x140 : Gid == (uint)gid ? (Mode & 0x28) == 0x28 : (Mode & 0x5) == 0x5);
}
