namespace Toolgrid.Store;

/// <summary>
/// Whether the store's directory is on a file system other hosts write too (a network or cluster
/// file system), whose writes by another host the kernel here does not tell of: read from
/// <c>/proc/self/mountinfo</c>, the longest mount point that holds the directory.
/// </summary>
public static class StoreFileSystem
{
    private static readonly HashSet<string> Shared = new(StringComparer.Ordinal)
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "ceph", "glusterfs", "lustre", "gpfs", "beegfs",
        "ocfs2", "gfs2", "9p", "afs", "virtiofs", "fuse.sshfs", "fuse.glusterfs", "fuse.cephfs", "fuse.s3fs",
    };

    /// <summary>The type of the file system that holds <paramref name="directory"/> (<c>ext4</c>, <c>nfs4</c>), from <paramref name="mountInfo"/>; null when no line holds it.</summary>
    public static string? TypeOf(string directory, string mountInfo)
    {
        ArgumentNullException.ThrowIfNull(mountInfo);
        string? type = null;
        var longest = -1;
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // ID PARENT MAJOR:MINOR ROOT MOUNT-POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER-OPTIONS
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || separator < 5 || separator + 1 >= fields.Length)
            {
                continue;
            }

            var mountPoint = fields[4].Replace("\\040", " ", StringComparison.Ordinal);
            var holds = mountPoint == "/" || directory == mountPoint || directory.StartsWith(mountPoint + "/", StringComparison.Ordinal);
            if (holds && mountPoint.Length > longest)
            {
                longest = mountPoint.Length;
                type = fields[separator + 1];
            }
        }

        return type;
    }

    /// <summary>Whether <paramref name="type"/> is a file system that other hosts may write.</summary>
    public static bool IsShared(string? type) => type is not null && Shared.Contains(type);

    /// <summary>The type of the file system that holds <paramref name="directory"/> on this host; null when it cannot be told.</summary>
    public static string? TypeOf(string directory)
    {
        try
        {
            return TypeOf(directory, File.ReadAllText("/proc/self/mountinfo"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
