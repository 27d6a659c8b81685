using Toolgrid.Core.Errors;
using Toolgrid.Server.Api;
using Toolgrid.Server.Idempotency;
using Toolgrid.Server.Identity;

namespace Toolgrid.Server.Hosting;

/// <summary>Maps toolgridd's HTTP surface.</summary>
public static class EndpointRouteBuilderExtensions
{
    public static WebApplication MapToolgrid(this WebApplication app, Roles roles)
    {
        // Exceptions become problem details in ToolgridExceptionHandler (AddProblemDetails, AddExceptionHandler).
        app.UseExceptionHandler();
        app.MapGet("/healthz", () => Results.Text("ok\n")).AllowAnonymous();
        if (!roles.Api)
        {
            return app;
        }

        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAuthorization();

        // Both after authentication: the scope of the caller's token first, then its idempotency
        // keys, so that a refused request never reaches, nor reads, a kept answer.
        app.UseMiddleware<ScopeMiddleware>();
        app.UseMiddleware<IdempotencyMiddleware>();
        var api = app.MapGroup("/api/v1").RequireAuthorization();
        api.MapStatusEndpoints()
            .MapToolEndpoints()
            .MapMaintainerEndpoints()
            .MapJobEndpoints()
            .MapJobApplyEndpoints()
            .MapRunEndpoints()
            .MapShellEndpoints()
            .MapWebserviceEndpoints()
            .MapLogEndpoints()
            .MapTokenEndpoints()
            .MapUserEndpoints()
            .MapQueueEndpoints()
            .MapNodeEndpoints();
        app.MapOpenApi("/api/v1/openapi.json").AllowAnonymous();
        var sources = ((IEndpointRouteBuilder)app).DataSources;
        app.MapFallback("/api/{**path}", (HttpContext context) =>
            JsonBodies.IsOtherTypeForJsonEndpoint(context, sources)
                ? JsonBodies.WriteAsync(context)
                : throw ToolgridException.NotFound("no-such-endpoint", $"there is no API endpoint {context.Request.Method} {context.Request.Path}; see /api/v1/openapi.json."));
        app.MapGet("/", () => Results.Text(
            "toolgridd: the Toolgrid API is at /api/v1 (OpenAPI document: /api/v1/openapi.json).\n",
            "text/plain")).AllowAnonymous();
        return app;
    }
}
