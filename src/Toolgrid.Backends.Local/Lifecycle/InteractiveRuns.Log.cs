using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Local.Lifecycle;

internal sealed partial class InteractiveRuns
{
    private static partial class Log
    {
        [LoggerMessage(3177, LogLevel.Information, "Attached to run {RunId} ({Streams})")]
        public static partial void Attached(ILogger logger, long runId, string streams);

        [LoggerMessage(3178, LogLevel.Warning, "Cannot attach to run {RunId} (ended: {Ended})")]
        public static partial void AttachRefused(ILogger logger, long runId, bool ended);
    }
}
