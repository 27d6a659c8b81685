using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Slurm;

public sealed partial class SlurmBackend
{
    [LoggerMessage(EventId = 8000, Level = LogLevel.Information, Message = "Run {RunId} submitted to Slurm as job {JobId} in partition {Partition}, as {UnixUser}.")]
    private partial void LogSubmitted(long runId, long jobId, string partition, string unixUser);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Run {RunId}: found its job {JobId} from a submission cut short (toolgridd stopped during sbatch); taken up, not submitted again.")]
    private partial void LogSubmissionTakenUp(long runId, long jobId);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Run {RunId}: sent SIGTERM to its job {JobId}, SIGKILL at {KillAt}.")]
    private partial void LogStopping(long runId, long jobId, DateTimeOffset killAt);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "Reading Slurm failed; trying again in {PollInterval}.")]
    private partial void LogReadFailed(Exception exception, TimeSpan pollInterval);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Warning, Message = "Run {RunId}: waiting for the grid, Slurm's slurmctld does not answer: {Said}")]
    private partial void LogWaitingForGrid(long runId, string said);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Information, Message = "Node {Node} drained in Slurm (scontrol update State=DRAIN): it takes no new jobs ({Reason}).")]
    private partial void LogNodeDrained(string node, string reason);

    [LoggerMessage(EventId = 8006, Level = LogLevel.Information, Message = "Node {Node} resumed in Slurm (scontrol update State=RESUME).")]
    private partial void LogNodeResumed(string node);

    [LoggerMessage(EventId = 8007, Level = LogLevel.Information, Message = "Interactive run {RunId}: srun started for partition {Partition}, as {UnixUser}, on {Streams}.")]
    private partial void LogInteractiveStarted(long runId, string partition, string unixUser, string streams);
}
