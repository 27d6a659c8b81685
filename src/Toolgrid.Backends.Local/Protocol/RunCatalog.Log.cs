using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Local.Protocol;

internal sealed partial class RunCatalog
{
    /// <summary>The run catalog's log messages: event ids of the local backend (3100–3199).</summary>
    private static partial class Log
    {
        [LoggerMessage(3117, LogLevel.Warning, "The file of run {RunId} ({Path}) was deleted while the run went on; it is read through a descriptor still open on it")]
        public static partial void RunFileDeleted(ILogger logger, long runId, string path);

        [LoggerMessage(3119, LogLevel.Information, "Run {RunId} ended after its file was deleted; {Path} is written again with its exit")]
        public static partial void RunFileRestored(ILogger logger, long runId, string path);

        [LoggerMessage(3120, LogLevel.Warning, "Run {RunId} ended after its file was deleted, but {Path} cannot be written again yet")]
        public static partial void RunFileNotRestored(ILogger logger, long runId, string path, Exception exception);
    }
}
