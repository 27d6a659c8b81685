using Microsoft.Extensions.Logging;

namespace Toolgrid.Controller;

public sealed partial class RunStarts
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Run {RunId} of {Tool}/{Job} could not be started")]
    private partial void LogStartFailed(Exception exception, long runId, string tool, string job);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Warning, Message = "Run {RunId} of {Tool}/{Job} cannot be started yet: {Why}; trying again at {Next:u}")]
    private partial void LogStartDeferred(long runId, string tool, string job, string why, DateTimeOffset next);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Error, Message = "Run {RunId} cannot be started yet, and that cannot be recorded in the store either; it is tried again all the same")]
    private partial void LogDeferralNotRecorded(Exception exception, long runId);
}
