using Microsoft.Extensions.Logging;

namespace Toolgrid.Proxy.Nginx;

public sealed partial class NginxDataPlane
{
    [LoggerMessage(EventId = 5400, Level = LogLevel.Information, Message = "Proxy: nginx (pid {Pid}) is the data plane, listening on {Addresses}; its configuration is {Config}")]
    private partial void LogStarted(int pid, string addresses, string config);

    [LoggerMessage(EventId = 5401, Level = LogLevel.Debug, Message = "Proxy: nginx (pid {Pid}) reloads with new routes ({Tools} web services)")]
    private partial void LogReloaded(int pid, int tools);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Warning, Message = "nginx: {Line}")]
    private partial void LogNginxSaid(string line);

    [LoggerMessage(EventId = 5403, Level = LogLevel.Error, Message = "Proxy: nginx (pid {Pid}) exited with {ExitCode}; starting it again")]
    private partial void LogDied(int pid, int exitCode);

    [LoggerMessage(EventId = 5404, Level = LogLevel.Error, Message = "Proxy: nginx could not be started again; trying again")]
    private partial void LogRestartFailed(Exception e);

    [LoggerMessage(EventId = 5405, Level = LogLevel.Warning, Message = "Proxy: ending nginx (pid {Pid}) left running by an earlier toolgridd")]
    private partial void LogLeftover(int pid);

    [LoggerMessage(EventId = 5406, Level = LogLevel.Error, Message = "Proxy: nginx's configuration {Config} could not be written; nginx goes on with the routes it has")]
    private partial void LogWriteFailed(Exception e, string config);

    [LoggerMessage(EventId = 5410, Level = LogLevel.Error, Message = "Proxy: nginx refuses the configuration written for the new routes ({Error}); it goes on with its last good one, {Config}, and tries again every few seconds and at each route change")]
    private partial void LogRefused(string error, string config);

    [LoggerMessage(EventId = 5411, Level = LogLevel.Information, Message = "Proxy: {PidFile} names pid {Pid}, which is not an nginx of {Config}: left alone")]
    private partial void LogNotOurs(string pidFile, int pid, string config);
}
