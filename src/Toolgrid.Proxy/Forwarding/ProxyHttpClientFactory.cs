using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Toolgrid.Proxy.Forwarding;

/// <summary>YARP's client to the replicas, with a short connect timeout: a dead replica's address should fail fast, so the request goes to another.</summary>
public sealed class ProxyHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger, IOptions<ProxyOptions> options) : ForwarderHttpClientFactory(logger)
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        ArgumentNullException.ThrowIfNull(handler);
        handler.ConnectTimeout = options.Value.ConnectTimeout;

        // No trace context of the proxy's own goes to the tools (a client's traceparent still
        // passes as any header does), and no diagnostics layer runs per request.
        handler.ActivityHeadersPropagator = null;
    }
}
