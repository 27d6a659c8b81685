using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Local;

public sealed partial class LocalBackend
{
    /// <summary>
    /// The local backend's log messages: event ids 3100–3199, shared with the parts it is made of
    /// (each logs its own in its <c>.Log.cs</c>, under the backend's category).
    /// </summary>
    private static partial class Log
    {
        [LoggerMessage(3111, LogLevel.Warning, "{Warning}")]
        public static partial void CgroupWarning(ILogger logger, string warning);

        [LoggerMessage(3176, LogLevel.Warning, "{Warning}")]
        public static partial void IsolationWarning(ILogger logger, string warning);

        [LoggerMessage(3190, LogLevel.Information, "Node {Node} is drained: it takes no new runs ({Reason})")]
        public static partial void NodeDrained(ILogger logger, string node, string reason);

        [LoggerMessage(3191, LogLevel.Information, "Node {Node} is resumed: it takes new runs again")]
        public static partial void NodeResumed(ILogger logger, string node);
    }
}
