using Microsoft.Extensions.Logging;

namespace Toolgrid.Accounts;

internal sealed partial class ShadowPrograms
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 6050, EventName = "AccountProgramRan", Level = LogLevel.Debug, Message = "Ran {Command}")]
        public static partial void ProgramRan(ILogger logger, string command);

        [LoggerMessage(EventId = 6051, EventName = "AccountProgramFailed", Level = LogLevel.Error, Message = "{Command} failed with exit code {ExitCode}: {Stderr}")]
        public static partial void ProgramFailed(ILogger logger, string command, int exitCode, string stderr);

        [LoggerMessage(EventId = 6052, EventName = "AccountProgramTimedOut", Level = LogLevel.Error, Message = "{Command} did not finish within {Timeout} and was killed")]
        public static partial void ProgramTimedOut(ILogger logger, string command, TimeSpan timeout);
    }
}
