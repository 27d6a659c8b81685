using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.GridEngine;

public sealed partial class GridEngineBackend
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Run {RunId} submitted to Grid Engine as job {JobNumber} in queue {Queue}, as {UnixUser}.")]
    private partial void LogSubmitted(long runId, long jobNumber, string queue, string unixUser);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Run {RunId}: found its job {JobNumber} from a submission cut short (toolgridd stopped during qsub); taken up, not submitted again.")]
    private partial void LogSubmissionTakenUp(long runId, long jobNumber);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Run {RunId}: asked Grid Engine to delete its job {JobNumber}.")]
    private partial void LogStopping(long runId, long jobNumber);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Run {RunId}: Grid Engine could not start job {JobNumber} and held it in error; deleted it.")]
    private partial void LogStartFailedDeleted(long runId, long jobNumber);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Reading Grid Engine failed; trying again in {PollInterval}.")]
    private partial void LogReadFailed(Exception exception, TimeSpan pollInterval);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Run {RunId}: waiting for the grid, Grid Engine's qmaster does not answer: {Said}")]
    private partial void LogWaitingForGrid(long runId, string said);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "Run {RunId}: its job {JobNumber} is being deleted, and not by Toolgrid (qdel by its tool or an admin).")]
    private partial void LogRemovedOutside(long runId, long jobNumber);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Warning, Message = "Run {RunId}: its node {Node} has been unknown to the qmaster for {Unknown}; recorded lost (job {JobNumber} deleted with qdel -f, or removed by the qmaster).")]
    private partial void LogNodeLost(long runId, long jobNumber, string node, TimeSpan unknown);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Information, Message = "Node {Node}: every queue instance disabled (qmod -d); it takes no new jobs ({Reason}).")]
    private partial void LogNodeDrained(string node, string reason);

    [LoggerMessage(EventId = 7009, Level = LogLevel.Information, Message = "Node {Node}: every queue instance enabled again (qmod -e).")]
    private partial void LogNodeResumed(string node);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information, Message = "Interactive run {RunId}: qrsh started for queue {Queue}, as {UnixUser}, on {Streams}.")]
    private partial void LogInteractiveStarted(long runId, string queue, string unixUser, string streams);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Warning, Message = "Run {RunId}: deleting job {JobNumber}, left on {Node} after its execd went silent, failed; trying again at the next read.")]
    private partial void LogReapFailed(Exception exception, long runId, long jobNumber, string node);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Information, Message = "Queue instance {QueueInstance}: cleared its error state (qmod -cq), set by the qmaster because of job {JobNumber}, which Toolgrid deleted when run {RunId}'s node went silent; its node is back.")]
    private partial void LogErrorCleared(string queueInstance, long jobNumber, long runId);

    [LoggerMessage(EventId = 7013, Level = LogLevel.Warning, Message = "The execd of {Host} took no connection within {Timeout}: its runs count as on an unknown node, and new runs keep off it while another node can take them.")]
    private partial void LogExecdSilent(string host, TimeSpan timeout);

    [LoggerMessage(EventId = 7014, Level = LogLevel.Information, Message = "The execd of {Host} answers again.")]
    private partial void LogExecdAnswers(string host);
}
