using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Local.Watching;

internal sealed partial class RunWatcher
{
    /// <summary>The run watcher's log messages: event ids of the local backend (3100–3199).</summary>
    private static partial class Log
    {
        [LoggerMessage(3112, LogLevel.Warning, "Cannot listen on the notify socket {Path}; runs are seen at each rescan only")]
        public static partial void NotifySocketFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(3113, LogLevel.Error, "Watching the runs failed; trying again")]
        public static partial void WatchFailed(ILogger logger, Exception exception);
    }
}
