using Microsoft.Extensions.Logging;

namespace Toolgrid.Controller;

public sealed partial class GridHealthProber
{
    [LoggerMessage(EventId = 2600, Level = LogLevel.Information, Message = "Checking the health of run {RunId} at {Node}:{Port}{Path} from this host")]
    private partial void LogProbing(long runId, string node, int port, string path);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Information, Message = "Checking the health of run {RunId} on {Node} by the results of its health check script in {ResultFile}")]
    private partial void LogProbingScript(long runId, string node, string resultFile);

    [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "Run {RunId} is healthy: {Healthy} {Message}")]
    private partial void LogVerdict(long runId, bool healthy, string message);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Warning, Message = "A pass of the grid health checks failed; trying again")]
    private partial void LogProbeFailed(Exception exception);
}
