using Microsoft.AspNetCore.Http;

namespace Toolgrid.Proxy.Routing;

/// <summary>Links between the proxy's pages, as the client reached the proxy (its scheme and port kept).</summary>
public sealed class SiteLinks(HttpRequest request, ProxyOptions options)
{
    /// <summary>The status page.</summary>
    public string Root => options.Domain is { Length: > 0 } domain && request.Host.Host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase)
        ? Absolute(options.AdminHost is { Length: > 0 } admin ? admin : domain, "/")
        : "/";

    /// <summary>A tool's site: <c>&lt;tool&gt;.&lt;domain&gt;</c> with a domain, else <c>/&lt;tool&gt;/</c>.</summary>
    public string Tool(string tool) => ToolPath(tool, "/");

    /// <summary>A path within a tool's site.</summary>
    public string ToolPath(string tool, string path) => options.Domain is { Length: > 0 } domain
        ? Absolute(tool + "." + domain, path)
        : "/" + tool + path;

    private string Absolute(string host, string path)
    {
        var port = request.Host.Port is { } p ? ":" + p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        return $"{request.Scheme}://{host}{port}{path}";
    }
}
