using Toolgrid.Core.Tools;

namespace Toolgrid.Tests.Store;

/// <summary>A tool as the store holds it once <c>toolgrid tools create</c> made it, for tests that put one straight into the store.</summary>
public static class ToolRecords
{
    /// <summary>Tool <paramref name="name"/> with user <c>tools.NAME</c> of <paramref name="uid"/> (its group <paramref name="gid"/>), made by the first of <paramref name="maintainers"/>.</summary>
    public static Tool New(string name, string home, int uid, int gid, IReadOnlyList<string> maintainers, DateTimeOffset now, string description = "")
    {
        ArgumentNullException.ThrowIfNull(maintainers);
        return new Tool
        {
            Name = name,
            Description = description,
            UnixUser = "tools." + name,
            Uid = uid,
            Gid = gid,
            Home = home,
            CreatedAt = now,
            CreatedBy = maintainers[0],
            Maintainers = [.. maintainers.Select(user => new Maintainer { ToolName = name, UserName = user, AddedAt = now, AddedBy = maintainers[0] })],
        };
    }
}
