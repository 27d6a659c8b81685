namespace Toolgrid.Core.Diagnostics;

/// <summary>Tells a failure for lack of disk space (which passes once space is freed) from the others.</summary>
public static class DiskFull
{
    /// <summary>errno: no space left on device.</summary>
    public const int NoSpace = 28;

    /// <summary>errno: disk quota exceeded.</summary>
    public const int QuotaExceeded = 122;

    /// <summary>
    /// Whether <paramref name="exception"/>, or one it wraps, is an I/O error for lack of space
    /// (ENOSPC or EDQUOT: on Unix .NET puts the errno in <see cref="Exception.HResult"/>).
    /// </summary>
    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException { HResult: NoSpace or QuotaExceeded })
            {
                return true;
            }
        }

        return false;
    }
}
