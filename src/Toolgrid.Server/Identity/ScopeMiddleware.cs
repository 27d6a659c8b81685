using Toolgrid.Core.Identity;

namespace Toolgrid.Server.Identity;

/// <summary>Refuses (403 <c>token-scope</c>) a request whose token lacks the scope its endpoint needs.</summary>
/// <remarks>Runs after authentication and before the endpoint, so nothing is read or changed for a refused request.</remarks>
public sealed class ScopeMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.Identity?.IsAuthenticated == true && context.GetEndpoint() is RouteEndpoint endpoint)
        {
            var needed = RequiredScope.For(endpoint, context.Request.Method);
            Access.DemandScope(context.User.ToCaller(), needed, $"{context.Request.Method} {endpoint.RoutePattern.RawText}");
        }

        return next(context);
    }
}
