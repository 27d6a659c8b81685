using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Local.Cgroups;

internal sealed partial class RunLeftovers
{
    /// <summary>The log messages of a lost run's leftovers: event ids of the local backend (3100–3199).</summary>
    private static partial class Log
    {
        [LoggerMessage(3108, LogLevel.Warning, "The shepherd of run {RunId} died; {Killed} leftover processes were killed and the run is reported lost")]
        public static partial void ShepherdLost(ILogger logger, long runId, int killed);
    }
}
