using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Local.Protocol;

internal static partial class LeftoverTemporaries
{
    /// <summary>The log messages of the clean-up: event ids of the local backend (3100–3199).</summary>
    private static partial class Log
    {
        [LoggerMessage(3115, LogLevel.Warning, "Cannot remove the leftover {Directory}")]
        public static partial void CleanupFailed(ILogger logger, string directory, Exception exception);
    }
}
