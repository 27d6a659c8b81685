using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Toolgrid.Proxy.Pages;
using Toolgrid.Proxy.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Toolgrid.Proxy.Forwarding;

/// <summary>
/// Turns YARP's bare error statuses into pages that say what happened: no replica is healthy
/// (503), none answered (502), the answer took too long (504). Runs first in the proxy pipeline,
/// so it sees the outcome after every retry.
/// </summary>
public sealed class ProxyErrorPages(RequestDelegate next, ProxyStateSource source, IOptions<ProxyOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await next(context);
        if (context.Response.HasStarted
            || context.RequestAborted.IsCancellationRequested
            || context.Features.Get<IForwarderErrorFeature>() is not { } error
            || context.Response.StatusCode < StatusCodes.Status500InternalServerError)
        {
            return;
        }

        var tool = context.GetReverseProxyFeature().Route.Config.Metadata?.GetValueOrDefault(ProxyRoutes.ToolKey) ?? "this tool";
        var links = new SiteLinks(context.Request, options.Value);
        var status = source.Current.Webservices.TryGetValue(tool, out var site) ? $" Its web service is {site.Summary.Status}." : "";
        var (title, detail) = error.Error switch
        {
            ForwarderError.NoAvailableDestinations => ($"{tool} is not answering right now", "None of its replicas passes its health check." + status),
            ForwarderError.RequestTimedOut => ($"{tool} took too long to answer", "Its web service did not answer in time." + status),
            _ => ($"{tool} did not answer", "Its web service did not answer the request." + status),
        };
        if (error.Error == ForwarderError.NoAvailableDestinations)
        {
            context.Response.Headers.RetryAfter = "5";
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.WriteAsync(SitePages.Unavailable(tool, title, detail, links), context.RequestAborted);
        }
    }
}
