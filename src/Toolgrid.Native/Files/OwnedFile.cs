namespace Toolgrid.Native.Files;

/// <summary>
/// A small file that a tool's user writes directly in its home for toolgridd to read (such as a
/// grid run's health check result), read and removed by toolgridd, which may run as root, as
/// hostile input: nothing in the way is followed, waited on or trusted.
/// </summary>
/// <remarks>
/// As in <see cref="Terminals.SessionScript"/>, the home is opened with <c>O_NOFOLLOW</c> (its
/// parent is the operator's) and the file is reached by name in it. The file is opened with
/// <c>O_NOFOLLOW | O_NONBLOCK</c> (a symbolic link is refused, a FIFO does not block), and what
/// was opened is examined through its descriptor: only a regular file owned by the tool's uid
/// is read, at most a given number of bytes. It is removed by <c>unlinkat</c> (which follows no
/// link) only after the same checks; a name swapped in between is still a name in the tool's
/// own home, and removing a name never touches the file another name links to.
/// </remarks>
public static class OwnedFile
{
    /// <summary>
    /// The content of <paramref name="name"/> in <paramref name="home"/>, when it is a regular
    /// file owned by <paramref name="uid"/> of at most <paramref name="maxLength"/> bytes; null
    /// otherwise (missing, a link, a FIFO, another user's, too long, unreadable).
    /// </summary>
    public static byte[]? Read(string home, string name, int uid, int maxLength)
    {
        ArgumentException.ThrowIfNullOrEmpty(home);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        return WithFile(home, name, uid, (_, fd) =>
        {
            var buffer = new byte[maxLength + 1];
            var read = LibC.ReadAll(fd, buffer);
            return read < 0 || read > maxLength ? null : buffer[..read];
        });
    }

    /// <summary>Removes <paramref name="name"/> from <paramref name="home"/> when it is a regular file owned by <paramref name="uid"/>; whether it did.</summary>
    public static bool Remove(string home, string name, int uid)
    {
        ArgumentException.ThrowIfNullOrEmpty(home);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return WithFile(home, name, uid, (directory, _) => LibC.UnlinkAt(directory, name, 0) == 0 ? Array.Empty<byte>() : null) is not null;
    }

    /// <summary>Opens the home and the file without following links, checks the file, and hands both descriptors to <paramref name="use"/>.</summary>
    private static byte[]? WithFile(string home, string name, int uid, Func<int, int, byte[]?> use)
    {
        if (name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a name in a directory.", nameof(name));
        }

        var directory = LibC.Open(home, LibC.OpenDirectoryNoFollow);
        if (directory < 0)
        {
            return null;
        }

        try
        {
            var fd = LibC.OpenAt(directory, name, LibC.ReadFileNoFollow);
            if (fd < 0)
            {
                return null;
            }

            try
            {
                return LibC.Stat(fd) is { IsRegularFile: true } facts && facts.Uid == unchecked((uint)uid)
                    ? use(directory, fd)
                    : null;
            }
            finally
            {
                _ = LibC.Close(fd);
            }
        }
        finally
        {
            _ = LibC.Close(directory);
        }
    }
}
