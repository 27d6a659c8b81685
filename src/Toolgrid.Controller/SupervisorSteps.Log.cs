using Microsoft.Extensions.Logging;

namespace Toolgrid.Controller;

public sealed partial class SupervisorSteps
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Stopping run {RunId} of {Tool}/{Job} ({Reason})")]
    private partial void LogStopping(long runId, string tool, string job, Contracts.Runs.RunReason reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Retrying {Tool}/{Job}: attempt {Attempt} of {Attempts}")]
    private partial void LogRetrying(string tool, string job, int attempt, int attempts);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Run {RunId} was placed but never reached the backend; starting it now")]
    private partial void LogResumingStart(long runId);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Run {RunId} is lost: {Message}")]
    private partial void LogRunLost(long runId, string message);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "The backend runs run {RunId}, which the store does not want; stopping it")]
    private partial void LogStoppingOrphan(long runId);

    [LoggerMessage(EventId = 2120, Level = LogLevel.Information, Message = "Draining node {Node} in the backend: {Reason}")]
    private partial void LogDraining(string node, string reason);

    [LoggerMessage(EventId = 2121, Level = LogLevel.Information, Message = "Resuming node {Node} in the backend: its drain was lifted")]
    private partial void LogResuming(string node);

    [LoggerMessage(EventId = 2122, Level = LogLevel.Warning, Message = "The engine's {Step} of node {Node} failed; trying again at {Next:u}, then less and less often while it keeps failing (not logged again until it succeeds)")]
    private partial void LogEngineStepFailed(Exception exception, string step, string node, DateTimeOffset next);

    [LoggerMessage(EventId = 2123, Level = LogLevel.Information, Message = "The engine's {Step} of node {Node} succeeded after {Failures} failed tries")]
    private partial void LogEngineStepRecovered(string step, string node, int failures);
}
