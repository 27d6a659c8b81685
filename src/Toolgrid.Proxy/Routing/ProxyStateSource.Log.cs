using Microsoft.Extensions.Logging;

namespace Toolgrid.Proxy.Routing;

public sealed partial class ProxyStateSource
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Proxy routes changed: {Tools} tools with {Replicas} replicas getting traffic.")]
    private partial void LogRoutesChanged(int tools, int replicas);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "The proxy cannot read the store; it goes on with the routes it last read.")]
    private partial void LogStoreUnreadable(Exception exception);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Debug, Message = "The proxy still cannot read the store.")]
    private partial void LogStoreStillUnreadable(Exception exception);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "The proxy reads the store again, after {Outage}.")]
    private partial void LogStoreBack(TimeSpan outage);
}
