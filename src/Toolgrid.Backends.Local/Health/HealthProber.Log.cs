using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Local.Health;

internal sealed partial class HealthProber
{
    /// <summary>The health prober's log messages: event ids 3170–3179.</summary>
    private static partial class Log
    {
        [LoggerMessage(3170, LogLevel.Debug, "Run {RunId} has a health check ({Check}): probing it")]
        public static partial void Probing(ILogger logger, long runId, string check);

        [LoggerMessage(3171, LogLevel.Information, "Run {RunId} passed its health check")]
        public static partial void Healthy(ILogger logger, long runId);

        [LoggerMessage(3172, LogLevel.Warning, "Run {RunId} is unhealthy: {Message}")]
        public static partial void Unhealthy(ILogger logger, long runId, string message);

        [LoggerMessage(3173, LogLevel.Error, "A health check of run {RunId} failed unexpectedly")]
        public static partial void CheckFailed(ILogger logger, long runId, Exception exception);

        [LoggerMessage(3174, LogLevel.Warning, "Run {RunId} listens on {Addresses}, not only where $HOST says: it can be reached around the proxy")]
        public static partial void ListensOutside(ILogger logger, long runId, string addresses);
    }
}
