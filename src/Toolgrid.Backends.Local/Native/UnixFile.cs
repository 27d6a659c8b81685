using System.Runtime.InteropServices;
using Toolgrid.Native;

namespace Toolgrid.Backends.Local.Native;

/// <summary>Reads and writes files with plain system calls, without .NET's flock emulation (see <see cref="LibC"/>).</summary>
internal static unsafe class UnixFile
{
    /// <summary>Opens a file; returns its descriptor, or -1 with errno (EINTR is retried).</summary>
    public static int Open(string path, int flags, uint mode = 0)
    {
        int fd;
        do
        {
            fd = LibC.Open(path, flags | LibC.OCloseOnExec, mode);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);
        return fd;
    }

    /// <summary>The whole file, or null when it does not exist.</summary>
    public static byte[]? ReadAll(string path)
    {
        var fd = Open(path, LibC.OReadOnly);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == LibC.ENOENT ? null : throw Error("cannot open", path, errno);
        }

        try
        {
            return ReadAll(fd, path);
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    /// <summary>The whole file behind an open descriptor, read from its start.</summary>
    public static byte[] ReadAll(int fd, string path)
    {
        var buffer = new byte[4096];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            nint read;
            fixed (byte* start = buffer)
            {
                read = LibC.PRead(fd, start + length, buffer.Length - length, length);
            }

            if (read < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EINTR)
                {
                    continue;
                }

                throw Error("cannot read", path, errno);
            }

            if (read == 0)
            {
                return buffer[..length];
            }

            length += (int)read;
        }
    }

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/>.</summary>
    public static void WriteAll(int fd, ReadOnlySpan<byte> data, long offset, string path)
    {
        fixed (byte* start = data)
        {
            var written = 0;
            while (written < data.Length)
            {
                var n = LibC.PWrite(fd, start + written, data.Length - written, offset + written);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.EINTR)
                    {
                        continue;
                    }

                    throw Error("cannot write", path, errno);
                }

                written += (int)n;
            }
        }
    }

    /// <summary>fdatasync: the file's data and size are on disk.</summary>
    public static void DataSync(int fd, string path)
    {
        if (LibC.FDataSync(fd) != 0)
        {
            throw Error("cannot sync", path, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>fsync of a directory: the names created, renamed or removed in it are on disk.</summary>
    public static void SyncDirectory(string path)
    {
        var fd = Open(path, LibC.OReadOnly);
        if (fd < 0)
        {
            throw Error("cannot open", path, Marshal.GetLastPInvokeError());
        }

        try
        {
            if (LibC.FSync(fd) != 0)
            {
                throw Error("cannot sync", path, Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    /// <summary>Removes a file; false when it did not exist.</summary>
    public static bool Remove(string path)
    {
        if (LibC.Unlink(path) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == LibC.ENOENT ? false : throw Error("cannot remove", path, errno);
    }

    /// <summary>The error of a failed call, with its errno in <see cref="Exception.HResult"/> (as .NET's own I/O errors on Unix).</summary>
    public static IOException Error(string what, string path, int errno) =>
        new($"{what} {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
}
