using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Toolgrid.Proxy.Forwarding;

/// <summary>
/// Sends a request to another replica when the one it went to failed before any of its answer
/// came back: a replica killed or restarted under load costs no request. Sits in YARP's proxy
/// pipeline before load balancing, which it runs again for each attempt with the replicas not
/// yet tried.
/// </summary>
/// <remarks>
/// The guarantee, and its limit: a request is sent again only when nothing of the answer has
/// reached the client, the body can be sent again (<see cref="ReplayableBody"/>), and either the
/// replica never got the request (the connection could not be made) or the method is idempotent.
/// A POST that reached a replica which then died is not repeated: it may have been acted on.
/// WebSocket upgrades are not repeated either once they reached a replica.
/// </remarks>
public sealed partial class ReplicaRetry(RequestDelegate next, IOptions<ProxyOptions> options, ILogger<ReplicaRetry> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var feature = context.GetReverseProxyFeature();
        var candidates = feature.AvailableDestinations;
        var settings = options.Value;
        if (candidates.Count <= 1 || settings.MaxAttempts <= 1)
        {
            await next(context);
            return;
        }

        var body = ReplayableBody.Prepare(context, settings.RetryBufferBytes);
        List<DestinationState>? tried = null;
        for (var attempt = 1; ; attempt++)
        {
            await next(context);
            if (context.Features.Get<IForwarderErrorFeature>() is not { } error
                || context.Response.HasStarted
                || context.RequestAborted.IsCancellationRequested
                || attempt >= settings.MaxAttempts
                || !body.CanReplay
                || !ReplicaFailure.MaySendAgain(error.Error, error.Exception, context.Request.Method))
            {
                return;
            }

            tried ??= new List<DestinationState>(settings.MaxAttempts);
            if (feature.ProxiedDestination is { } failed)
            {
                tried.Add(failed);
            }

            var remaining = candidates.Where(d => !tried.Contains(d) && IsUsable(d)).ToList();
            if (remaining.Count == 0)
            {
                return;
            }

            LogRetry(feature.Route.Config.RouteId, feature.ProxiedDestination?.DestinationId, error.Error, attempt + 1);
            feature.AvailableDestinations = remaining;
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Clear();
            body.Rewind();
        }
    }

    private static bool IsUsable(DestinationState destination) =>
        destination.Health.Passive != DestinationHealth.Unhealthy && destination.Health.Active != DestinationHealth.Unhealthy;

    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "Route {Route}: replica {Destination} failed ({Error}) before answering; trying another (attempt {Attempt}).")]
    private partial void LogRetry(string route, string? destination, ForwarderError error, int attempt);
}
