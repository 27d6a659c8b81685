using Toolgrid.Proxy.Hosting;

namespace Toolgrid.Proxy.Webservices;

/// <summary>The addresses at which people reach a tool through the proxy.</summary>
public static class WebserviceUrls
{
    /// <summary>
    /// <c>https://&lt;tool&gt;.&lt;domain&gt;/</c> when a domain is configured (the path form only
    /// redirects there), else <c>&lt;public-url&gt;/&lt;tool&gt;/</c>. Empty when the proxy has no
    /// address (no domain, no public URL and no listener).
    /// </summary>
    public static IReadOnlyList<string> For(string tool, ProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = PublicRoot(options);
        if (options.Domain is { Length: > 0 } domain)
        {
            var scheme = root?.Scheme ?? Uri.UriSchemeHttp;
            var port = root is { IsDefaultPort: false } ? ":" + root.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            return [$"{scheme}://{tool}.{domain}{port}/"];
        }

        return root is null ? [] : [new Uri(root, tool + "/").ToString()];
    }

    /// <summary>The root of the proxy as people reach it, or null when it cannot be told.</summary>
    public static Uri? PublicRoot(ProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PublicUrl is { Length: > 0 } given && Uri.TryCreate(given, UriKind.Absolute, out var url))
        {
            return url;
        }

        if (options.Domain is { Length: > 0 } domain)
        {
            return new Uri("http://" + domain + "/");
        }

        var first = ProxyListener.Parse(options.Urls, []).FirstOrDefault(l => l.EndPoint is not null);
        if (first?.EndPoint is not { } endPoint)
        {
            return null;
        }

        // An address that means "every address" is reached at this host's name.
        var host = endPoint.Address.Equals(System.Net.IPAddress.Any) || endPoint.Address.Equals(System.Net.IPAddress.IPv6Any)
            ? Environment.MachineName
            : endPoint.Address.ToString();
        return new UriBuilder(Uri.UriSchemeHttp, host, endPoint.Port).Uri;
    }
}
