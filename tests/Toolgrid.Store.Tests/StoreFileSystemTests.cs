namespace Toolgrid.Store.Tests;

/// <summary>Which file system holds the store: the longest mount point of <c>/proc/self/mountinfo</c> that holds it.</summary>
public sealed class StoreFileSystemTests
{
    private const string MountInfo = """
        26 1 259:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
        40 26 0:40 / /data/project rw,relatime shared:20 - nfs4 nfs.example:/project rw,vers=4.2
        41 26 0:41 / /data/projectx rw,relatime - tmpfs tmpfs rw
        42 26 0:42 / /srv/my\040dir rw,relatime - cifs //files/share rw
        """;

    [Theory]
    [InlineData("/var/lib/toolgrid", "ext4", false)]
    [InlineData("/data/project", "nfs4", true)]
    [InlineData("/data/project/toolgrid", "nfs4", true)]
    [InlineData("/data/projectx/toolgrid", "tmpfs", false)]
    [InlineData("/srv/my dir/state", "cifs", true)]
    public void The_longest_mount_point_that_holds_the_directory_tells(string directory, string type, bool shared)
    {
        var found = StoreFileSystem.TypeOf(directory, MountInfo);
        Assert.Equal((type, shared), (found, StoreFileSystem.IsShared(found)));
    }

    [Fact]
    public void This_hosts_temporary_directory_has_a_type()
    {
        Assert.NotNull(StoreFileSystem.TypeOf(Path.GetTempPath().TrimEnd('/')));
    }
}
