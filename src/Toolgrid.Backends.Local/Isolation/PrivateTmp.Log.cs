using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Local.Isolation;

internal static partial class PrivateTmp
{
    /// <summary>The log messages of a run's private <c>/tmp</c>: event ids of the local backend (3100–3199).</summary>
    private static partial class Log
    {
        [LoggerMessage(3175, LogLevel.Warning, "Run {RunId}: {Problem}")]
        public static partial void PrivateTmpLeft(ILogger logger, long runId, string problem);
    }
}
