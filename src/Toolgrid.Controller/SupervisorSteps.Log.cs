using Microsoft.Extensions.Logging;

namespace Toolgrid.Controller;

public sealed partial class SupervisorSteps
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Run {RunId} of {Tool}/{Job} could not be started")]
    private partial void LogStartFailed(Exception exception, long runId, string tool, string job);

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

    [LoggerMessage(EventId = 2106, Level = LogLevel.Information, Message = "{Tool}/{Job} is due ({DueAt:u}): queued ({Reason})")]
    private partial void LogDue(string tool, string job, DateTimeOffset dueAt, Contracts.Runs.RunReason reason);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Information, Message = "{Tool}/{Job} was due ({DueAt:u}) and is skipped: {Message}")]
    private partial void LogSkipped(string tool, string job, DateTimeOffset dueAt, string message);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Warning, Message = "Run {RunId} of {Tool}/{Job} cannot be started yet: {Why}; trying again at {Next:u}")]
    private partial void LogStartDeferred(long runId, string tool, string job, string why, DateTimeOffset next);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Error, Message = "Run {RunId} cannot be started yet, and that cannot be recorded in the store either; it is tried again all the same")]
    private partial void LogDeferralNotRecorded(Exception exception, long runId);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "Trimmed {Count} old run(s): each job keeps its newest {Keep}")]
    private partial void LogTrimmed(int count, int keep);
}
