using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>What a start, a stop or a forget left half done in the run directory when toolgridd died.</summary>
internal static partial class LeftoverTemporaries
{
    /// <summary>The time after which such a file is surely not in progress any more.</summary>
    private static readonly TimeSpan MinimumAge = TimeSpan.FromMinutes(1);

    /// <summary>Removes them, those old enough not to be in progress.</summary>
    public static void Remove(string runDirectory, TimeProvider timeProvider, ILogger logger)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(runDirectory))
        {
            var name = Path.GetFileName(entry);
            var temporary = name.StartsWith(".new-", StringComparison.Ordinal) || name.StartsWith(".forget-", StringComparison.Ordinal) ||
                (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal));

            // A stop request or a log whose run file is gone: a forget that toolgridd did not finish.
            var orphan = Path.GetExtension(name) is ".stop" or ".log" or ".attach" &&
                RunEntry.TryParseRunId(Path.GetFileNameWithoutExtension(name), out _) &&
                !File.Exists(Path.Combine(runDirectory, Path.GetFileNameWithoutExtension(name)));
            if (!temporary && !orphan)
            {
                continue;
            }

            try
            {
                if (timeProvider.GetUtcNow() - File.GetLastWriteTimeUtc(entry) <= MinimumAge)
                {
                    continue;
                }

                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.CleanupFailed(logger, entry, e);
            }
        }
    }
}
