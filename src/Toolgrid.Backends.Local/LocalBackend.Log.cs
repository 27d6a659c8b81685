using Microsoft.Extensions.Logging;
using Toolgrid.Backends.Local.Protocol;

namespace Toolgrid.Backends.Local;

public sealed partial class LocalBackend
{
    /// <summary>The local backend's log messages: event ids 3100–3199.</summary>
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

        [LoggerMessage(3105, LogLevel.Information, "Stopping run {RunId} with a grace period of {GraceSeconds} s")]
        public static partial void StopRequested(ILogger logger, long runId, double graceSeconds);

        [LoggerMessage(3106, LogLevel.Debug, "Run {RunId} has ended or is unknown: nothing to stop")]
        public static partial void StopNotNeeded(ILogger logger, long runId);

        [LoggerMessage(3107, LogLevel.Warning, "Run {RunId}: the lock is held but process {ShepherdPid} is not its shepherd; no signal sent")]
        public static partial void ShepherdMismatch(ILogger logger, long runId, int shepherdPid);

        [LoggerMessage(3108, LogLevel.Warning, "The shepherd of run {RunId} died; {Killed} leftover processes were killed and the run is reported lost")]
        public static partial void ShepherdLost(ILogger logger, long runId, int killed);

        [LoggerMessage(3109, LogLevel.Debug, "Run {RunId} forgotten")]
        public static partial void Forgot(ILogger logger, long runId);

        [LoggerMessage(3110, LogLevel.Warning, "Run {RunId} is not forgotten: its shepherd still runs")]
        public static partial void ForgetRefused(ILogger logger, long runId);

        [LoggerMessage(3111, LogLevel.Warning, "{Warning}")]
        public static partial void CgroupWarning(ILogger logger, string warning);

        [LoggerMessage(3112, LogLevel.Warning, "Cannot listen on the notify socket {Path}; runs are seen at each rescan only")]
        public static partial void NotifySocketFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(3113, LogLevel.Error, "Watching the runs failed; trying again")]
        public static partial void WatchFailed(ILogger logger, Exception exception);

        [LoggerMessage(3114, LogLevel.Debug, "Cannot read the directory of run {RunId}")]
        public static partial void InspectFailed(ILogger logger, long runId, Exception exception);

        [LoggerMessage(3115, LogLevel.Warning, "Cannot remove the leftover {Directory}")]
        public static partial void CleanupFailed(ILogger logger, string directory, Exception exception);

        [LoggerMessage(3116, LogLevel.Debug, "Run {RunId} set up in {ElapsedMs:0.0} ms; its command is held until {NotBefore:O}")]
        public static partial void Waiting(ILogger logger, long runId, double elapsedMs, DateTimeOffset? notBefore);

        [LoggerMessage(3117, LogLevel.Warning, "Run {RunId}: {Problem}")]
        public static partial void PrivateTmpLeft(ILogger logger, long runId, string problem);

        [LoggerMessage(3118, LogLevel.Warning, "{Warning}")]
        public static partial void IsolationWarning(ILogger logger, string warning);
    }
}
