using Microsoft.Extensions.Primitives;
using Toolgrid.Proxy.Routing;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Toolgrid.Proxy.Forwarding;

/// <summary>
/// What every forwarded request carries: <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> set
/// by the proxy from what it saw (values a client sent are replaced, never passed on), the
/// client's Host kept, and for the path form the <c>/&lt;tool&gt;</c> prefix taken off and named in
/// <c>X-Forwarded-Prefix</c>. And what every answer's cookies become: kept to the tool
/// (<see cref="CookieScope"/>).
/// </summary>
/// <remarks>
/// A client may also send headers that some frameworks believe (<c>Forwarded</c>,
/// <c>X-Real-IP</c>, <c>X-Forwarded-Port</c>…): they are removed, so that a tool never takes a
/// client's word for where a request came from. Behind a trusted TLS terminator
/// (<see cref="ProxyOptions.TrustedProxies"/>) the terminator's headers are read first, so that
/// the values set here are the real client's.
/// </remarks>
public sealed class ForwardingTransforms : ITransformProvider
{
    /// <summary>Headers a client may send to pass as someone else; removed from every forwarded request.</summary>
    public static readonly IReadOnlyList<string> Spoofable =
    [
        "Forwarded", "X-Real-IP", "X-Forwarded-Port", "X-Forwarded-Server", "X-Forwarded-Ssl", "X-Forwarded-Scheme", "X-Client-IP", "X-Original-Forwarded-For",
    ];

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.UseDefaultForwarders = false;
        context.AddXForwardedFor(action: ForwardedTransformActions.Set);
        context.AddXForwardedProto(action: ForwardedTransformActions.Set);
        context.AddXForwardedHost(action: ForwardedTransformActions.Set);
        foreach (var header in Spoofable)
        {
            context.AddRequestHeaderRemove(header);
        }

        // Tools build their absolute links from the host they were asked for.
        context.AddOriginalHost(true);
        var prefix = context.Route.Metadata?.GetValueOrDefault(ProxyRoutes.PrefixKey) is { Length: > 0 } given ? given : null;
        if (prefix is not null)
        {
            context.AddPathRemovePrefix(prefix);
            context.AddRequestHeader("X-Forwarded-Prefix", prefix, append: false);
        }
        else
        {
            context.AddRequestHeaderRemove("X-Forwarded-Prefix");
        }

        // The request's cookies are left as they are: the browser sends a tool only those whose
        // path is within it, and the Cookie header carries no path by which to tell others apart.
        context.AddResponseTransform(answer =>
        {
            var headers = answer.HttpContext.Response.Headers;
            var cookies = headers.SetCookie;
            if (cookies.Count > 0)
            {
                headers.SetCookie = new StringValues(cookies.Select(c => CookieScope.Rewrite(c ?? "", prefix)).ToArray());
            }

            return ValueTask.CompletedTask;
        });
    }
}
