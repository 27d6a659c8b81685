using Microsoft.Extensions.Logging;
using Toolgrid.Backends.Local.Protocol;

namespace Toolgrid.Backends.Local.Lifecycle;

internal sealed partial class RunStarter
{
    /// <summary>The run starter's log messages: event ids of the local backend (3100–3199).</summary>
    private static partial class Log
    {
        private static readonly Func<ILogger, string, string, long, IDisposable?> Scope =
            LoggerMessage.DefineScope<string, string, long>("tool {Tool} job {Job} run {RunId}");

        public static IDisposable? RunScope(ILogger logger, string tool, string job, long runId) => Scope(logger, tool, job, runId);

        [LoggerMessage(3100, LogLevel.Debug, "Run {RunId} started in {ElapsedMs:0.0} ms")]
        public static partial void Started(ILogger logger, long runId, double elapsedMs);

        [LoggerMessage(3101, LogLevel.Debug, "Run {RunId} was started before; it is not started again")]
        public static partial void StartAlreadyDone(ILogger logger, long runId);

        [LoggerMessage(3102, LogLevel.Information, "Run {RunId} could not be started: {Reason}")]
        public static partial void StartFailed(ILogger logger, long runId, string reason);

        [LoggerMessage(3103, LogLevel.Warning, "The shepherd of run {RunId} failed ({Outcome}): {Error}")]
        public static partial void LaunchFailed(ILogger logger, long runId, LaunchOutcome outcome, string error);

        [LoggerMessage(3104, LogLevel.Warning, "Run {RunId} cannot be started: {Reason}")]
        public static partial void StartRefused(ILogger logger, long runId, string reason);

        [LoggerMessage(3116, LogLevel.Debug, "Run {RunId} set up in {ElapsedMs:0.0} ms; its command is held until {NotBefore:O}")]
        public static partial void Waiting(ILogger logger, long runId, double elapsedMs, DateTimeOffset? notBefore);
    }
}
