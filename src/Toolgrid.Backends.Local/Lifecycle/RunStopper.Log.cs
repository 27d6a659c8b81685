using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Local.Lifecycle;

internal sealed partial class RunStopper
{
    /// <summary>The run stopper's log messages: event ids of the local backend (3100–3199).</summary>
    private static partial class Log
    {
        [LoggerMessage(3105, LogLevel.Information, "Stopping run {RunId} with a grace period of {GraceSeconds} s")]
        public static partial void StopRequested(ILogger logger, long runId, double graceSeconds);

        [LoggerMessage(3106, LogLevel.Debug, "Run {RunId} has ended or is unknown: nothing to stop")]
        public static partial void StopNotNeeded(ILogger logger, long runId);

        [LoggerMessage(3107, LogLevel.Warning, "Run {RunId}: the lock is held but process {ShepherdPid} is not its shepherd; no signal sent")]
        public static partial void ShepherdMismatch(ILogger logger, long runId, int shepherdPid);
    }
}
