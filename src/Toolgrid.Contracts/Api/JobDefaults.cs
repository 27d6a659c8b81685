namespace Toolgrid.Contracts.Api;

/// <summary>What a job gets for a field its request leaves out, where the default is the same on every site.</summary>
/// <remarks>
/// Defaults a site sets (memory, CPU, the queue's name, its time zone) are the server's to say;
/// these are part of the API itself: the server applies them, <c>jobs dump</c> leaves them out of
/// the file it writes, and the backend tells its runs nothing about a value that is the default.
/// </remarks>
public static class JobDefaults
{
    /// <summary>Seconds between SIGTERM and SIGKILL when a run is stopped (<see cref="JobRunRequest.GracePeriod"/>).</summary>
    public const int GracePeriodSeconds = 15;

    /// <summary>The file-mode creation mask of a run, 002 (<see cref="JobRunRequest.Umask"/>): files a job makes are writable by its tool's group.</summary>
    public const int Umask = 0b000_000_010;

    /// <summary>The queue a job is on when its request names none (<see cref="JobRunRequest.Queue"/>); every tool may use it.</summary>
    public const string Queue = "default";
}
