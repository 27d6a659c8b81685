using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Local.Watching;

internal sealed partial class RunInspector
{
    /// <summary>The run inspector's log messages: event ids of the local backend (3100–3199).</summary>
    private static partial class Log
    {
        [LoggerMessage(3114, LogLevel.Debug, "Cannot read the directory of run {RunId}")]
        public static partial void InspectFailed(ILogger logger, long runId, Exception exception);
    }
}
