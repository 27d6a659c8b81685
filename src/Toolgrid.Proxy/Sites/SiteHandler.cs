using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Webservices;
using Toolgrid.Proxy.Files;
using Toolgrid.Proxy.Pages;
using Toolgrid.Proxy.Routing;
using Toolgrid.Proxy.Status;

namespace Toolgrid.Proxy.Sites;

/// <summary>
/// Everything the proxy answers itself: the status page, redirects, unknown tools, and a tool
/// without replicas getting traffic (its <c>public_html</c>, its default page, or a 503).
/// </summary>
/// <remarks>
/// <see cref="Middleware"/> runs before routing and answers what needs no route; a tool request
/// goes on to YARP's routes, and one that matches none (the tool has no replica getting traffic)
/// ends at <see cref="ServeToolAsync"/>, the fallback endpoint.
/// </remarks>
public sealed class SiteHandler(
    ProxyStateSource source,
    JobsSummaryReader jobs,
    StatusPageTables tables,
    PublicHtml files,
    IOptions<ProxyOptions> options,
    TimeProvider time)
{
    private const string PageCsp = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Before routing: answers what needs no route, passes tool requests on.</summary>
    public async Task Middleware(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var settings = options.Value;
        var request = SiteRequest.Classify(context.Request.Host.Host, context.Request.Path.Value ?? "/", settings);
        var links = new SiteLinks(context.Request, settings);
        var state = source.Current;
        if (request.Kind == SiteRequestKind.Health)
        {
            await Plain(context, StatusCodes.Status200OK, state.Loaded ? "ok\n" : "starting\n");
            return;
        }

        if (!state.Loaded)
        {
            context.Response.Headers.RetryAfter = "1";
            await Plain(context, StatusCodes.Status503ServiceUnavailable, "The proxy is starting: it has not read the routes yet.\n");
            return;
        }

        switch (request.Kind)
        {
            case SiteRequestKind.Status:
                await StatusAsync(context, state, links);
                return;
            case SiteRequestKind.NotFound:
                await Page(context, StatusCodes.Status404NotFound, SitePages.UnknownTool(request.Path, deleted: false, [], links));
                return;
        }

        var name = request.Tool ?? "";
        if (!state.Tools.TryGetValue(name, out var tool) || !tool.Active)
        {
            var nearest = NearestNames.Of(name, state.Tools.Values.Where(t => t.Active).Select(t => t.Name));
            await Page(context, StatusCodes.Status404NotFound, SitePages.UnknownTool(name, deleted: tool is not null, nearest, links));
            return;
        }

        if (request.Kind == SiteRequestKind.ToolByPath && (settings.Domain is { Length: > 0 } || request.Path.Length == 0))
        {
            // With a domain, each tool is its own origin: the path form only leads there. Without
            // one, /<tool> gets its slash, so that the tool's relative links work.
            var target = links.ToolPath(name, request.Path.Length == 0 ? "/" : request.Path) + context.Request.QueryString;
            context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            context.Response.Headers.Location = target;
            return;
        }

        if (state.Webservices.TryGetValue(name, out var webservice) && !webservice.Job.AllowDotPaths && DotPaths.IsHidden(request.Path))
        {
            // A web service that serves files would serve hidden ones too (~/.ssh, ~/.git): it never sees these.
            await Page(context, StatusCodes.Status404NotFound, SitePages.Missing("Not found", name, $"{name} has nothing at {request.Path}: paths with a name that starts with '.' are not passed to its web service (its maintainers can allow them with 'toolgrid webservice start --allow-dot-paths').", links));
            return;
        }

        await next(context);
    }

    /// <summary>The fallback: a tool with no replica getting traffic.</summary>
    public async Task ServeToolAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await OffTheConnectionsThread();
        var settings = options.Value;
        var request = SiteRequest.Classify(context.Request.Host.Host, context.Request.Path.Value ?? "/", settings);
        var links = new SiteLinks(context.Request, settings);
        var state = source.Current;
        if (request.Tool is not { } name || !state.Tools.TryGetValue(name, out var tool) || !tool.Active)
        {
            await Page(context, StatusCodes.Status404NotFound, SitePages.UnknownTool(request.Tool ?? "", deleted: false, [], links));
            return;
        }

        if (state.Webservices.TryGetValue(name, out var webservice))
        {
            context.Response.Headers.RetryAfter = "5";
            await Page(context, StatusCodes.Status503ServiceUnavailable, SitePages.Unavailable(name, $"{name} is not answering right now", $"Its web service is {webservice.Summary.Status}.", links));
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            await Page(context, StatusCodes.Status405MethodNotAllowed, SitePages.Missing("Method not allowed", name, $"{name} serves static files only: {context.Request.Method} is not possible here.", links));
            return;
        }

        var path = request.Path;
        switch (files.Open(tool, path))
        {
            case PublicHtmlResult.File file:
                await SendFileAsync(context, file);
                return;
            case PublicHtmlResult.Listing listing:
                await Page(context, StatusCodes.Status200OK, SitePages.Listing(name, path, listing.Entries, links));
                return;
            case PublicHtmlResult.AddSlash:
                context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
                context.Response.Headers.Location = links.ToolPath(name, path + "/") + context.Request.QueryString;
                return;
            case PublicHtmlResult.Forbidden forbidden when path != "/":
                await Page(context, StatusCodes.Status403Forbidden, SitePages.Missing("Forbidden", name, $"{path} is not served: {forbidden.Reason}.", links));
                return;
            case PublicHtmlResult.NoIndex when path != "/":
                await Page(context, StatusCodes.Status403Forbidden, SitePages.Missing("No listing", name, $"{path} has no index.html, and it does not ask to be listed (a file named .listing in it would).", links));
                return;
            case PublicHtmlResult.NotFound when path != "/":
                await Page(context, StatusCodes.Status404NotFound, SitePages.Missing("Not found", name, $"{name} has nothing at {path}.", links));
                return;
            default:
                // The root of a tool with no page of its own: say what the tool is.
                var summary = StatusReportBuilder.SummaryOf(state, tool, _ => false);
                var summaries = await jobs.GetAsync(context.RequestAborted);
                await Page(context, StatusCodes.Status200OK, SitePages.Tool(tool, summary, summaries.For(name), links));
                return;
        }
    }

    /// <summary>
    /// Moves what follows to the thread pool. The proxy's connections run requests inline on the
    /// thread their bytes arrived on, which, with inline socket completions, is an event loop
    /// shared by many connections: the store and the file system, which block, are read off it.
    /// </summary>
    private static YieldAwaitable OffTheConnectionsThread() => Task.Yield();

    private async Task StatusAsync(HttpContext context, ProxyState state, SiteLinks links)
    {
        await OffTheConnectionsThread();
        var summaries = await jobs.GetAsync(context.RequestAborted);
        var report = StatusReportBuilder.Build(state, summaries, links, WebserviceStatus.HasPublicHtml, time.GetUtcNow());
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.Vary = "Accept";
        if (WantsJson(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(context.Response.Body, report, Json, context.RequestAborted);
            return;
        }

        await Page(context, StatusCodes.Status200OK, SitePages.Status(report, links, tables.For(report, links)));
    }

    /// <summary>JSON when asked for by <c>?format=json</c>, a <c>.json</c> path, or an Accept header that prefers it to HTML.</summary>
    public static bool WantsJson(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var format = request.Query["format"].ToString();
        if (format.Length > 0)
        {
            return format.Equals("json", StringComparison.OrdinalIgnoreCase);
        }

        if (request.Path.Value?.EndsWith(".json", StringComparison.Ordinal) == true)
        {
            return true;
        }

        double json = 0, html = 0;
        foreach (var accepted in request.GetTypedHeaders().Accept)
        {
            var quality = accepted.Quality ?? 1;
            var type = accepted.MediaType.Value ?? "";
            if (type is "application/json" or "application/*")
            {
                json = Math.Max(json, quality);
            }

            if (type is "text/html" or "text/*" or "*/*")
            {
                html = Math.Max(html, quality);
            }
        }

        return json > html;
    }

    private static async Task SendFileAsync(HttpContext context, PublicHtmlResult.File file)
    {
        await using var stream = file.Stream;
        var etag = new EntityTagHeaderValue("\"" + file.Modified.UtcTicks.ToString("x", CultureInfo.InvariantCulture) + "-" + file.Length.ToString("x", CultureInfo.InvariantCulture) + "\"");
        context.Response.Headers.XContentTypeOptions = "nosniff";
        var result = Results.File(stream, file.ContentType, lastModified: file.Modified, entityTag: etag, enableRangeProcessing: true);
        await result.ExecuteAsync(context);
    }

    private static async Task Page(HttpContext context, int status, string html)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.ContentSecurityPolicy = PageCsp;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.WriteAsync(html, context.RequestAborted);
        }
    }

    private static async Task Plain(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }
}
