using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Local.Watching;

internal sealed partial class OrphanSweep
{
    /// <summary>The orphan sweep's log messages: event ids of the local backend (3100–3199).</summary>
    private static partial class Log
    {
        [LoggerMessage(3118, LogLevel.Warning, "Run {RunId} was in a cgroup of its own that no run file or shepherd owns any more: its {Processes} process(es) were stopped and the run is reported lost")]
        public static partial void OrphanStopped(ILogger logger, long runId, int processes);
    }
}
