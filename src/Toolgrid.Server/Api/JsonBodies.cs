using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace Toolgrid.Server.Api;

/// <summary>Requests whose body is of another type than the JSON an endpoint takes: 415, saying what to send.</summary>
/// <remarks>
/// Routing leaves an endpoint out when the request's Content-Type is not one it accepts; with
/// the API's catch-all for unknown paths beside it, the caller would be told that the endpoint
/// does not exist. The catch-all asks this first.
/// </remarks>
public static class JsonBodies
{
    public const string ErrorCode = "unsupported-media-type";

    /// <summary>Whether an endpoint that takes JSON answers this method and path, while the request's body is of another type.</summary>
    public static bool IsOtherTypeForJsonEndpoint(HttpContext context, IEnumerable<EndpointDataSource> sources)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sources);
        var request = context.Request;
        if (request.HasJsonContentType() || (request.ContentLength is null or 0 && request.ContentType is null))
        {
            return false;
        }

        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not { ContentTypes.Count: > 0 }
                || endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods
                || !methods.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var matcher = new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new RouteValueDictionary());
            if (matcher.TryMatch(request.Path, new RouteValueDictionary()))
            {
                return true;
            }
        }

        return false;
    }

    public static Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var given = string.IsNullOrEmpty(context.Request.ContentType) ? "no Content-Type" : "Content-Type " + context.Request.ContentType;
        return ProblemResponses.WriteAsync(
            context,
            StatusCodes.Status415UnsupportedMediaType,
            ErrorCode,
            "The body is of a type this endpoint does not take.",
            $"{context.Request.Method} {context.Request.Path} takes a JSON body, and got {given}: send the body as JSON with Content-Type: application/json.",
            []);
    }
}
