using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Toolgrid.Proxy.Hosting;

/// <summary>
/// toolgridd's loggers as the proxy's web application sees them: the same, except that ASP.NET
/// Core's per-request log (<c>Microsoft.AspNetCore.Hosting.Diagnostics</c>: "Request starting",
/// "Request finished") is never written.
/// </summary>
/// <remarks>
/// That log is Information, off at the default level, but while any level of it is on the hosting
/// layer starts an <see cref="System.Diagnostics.Activity"/> and a logging scope for every request,
/// and YARP's client then sends a <c>traceparent</c> of that Activity to the tool: per request, a
/// random trace id, an async-local and a header the client never sent. A proxy's request log
/// belongs in front of it (the TLS terminator), not here. Does not own toolgridd's loggers: disposing
/// it leaves them open.
/// </remarks>
public sealed class ProxyLoggers(ILoggerFactory loggers) : ILoggerFactory
{
    /// <summary>The category ASP.NET Core's hosting logs each request under.</summary>
    public const string RequestLogCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public ILogger CreateLogger(string categoryName) =>
        string.Equals(categoryName, RequestLogCategory, StringComparison.Ordinal) ? NullLogger.Instance : loggers.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => loggers.AddProvider(provider);

    public void Dispose()
    {
    }
}
