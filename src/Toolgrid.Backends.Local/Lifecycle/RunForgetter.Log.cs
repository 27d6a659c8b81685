using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Local.Lifecycle;

internal sealed partial class RunForgetter
{
    /// <summary>The run forgetter's log messages: event ids of the local backend (3100–3199).</summary>
    private static partial class Log
    {
        [LoggerMessage(3109, LogLevel.Debug, "Run {RunId} forgotten")]
        public static partial void Forgot(ILogger logger, long runId);

        [LoggerMessage(3110, LogLevel.Warning, "Run {RunId} is not forgotten: its shepherd still runs")]
        public static partial void ForgetRefused(ILogger logger, long runId);
    }
}
