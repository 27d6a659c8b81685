using System.Globalization;
using System.Net;

namespace Toolgrid.Core.Webservices;

/// <summary>Where people reach the tools' web services through the proxy.</summary>
/// <param name="Domain">The domain under which each tool has a host of its own, or null.</param>
/// <param name="Root">The root of the proxy as people reach it, or null when it cannot be told.</param>
public sealed record WebserviceAddress(string? Domain, Uri? Root)
{
    /// <summary>
    /// The address from the proxy's settings: its public URL when given, else its domain, else the
    /// first TCP address it listens on (<paramref name="listener"/>).
    /// </summary>
    public static WebserviceAddress Of(string? publicUrl, string? domain, IPEndPoint? listener)
    {
        var domainOrNull = domain is { Length: > 0 } ? domain : null;
        if (publicUrl is { Length: > 0 } given && Uri.TryCreate(given, UriKind.Absolute, out var url))
        {
            return new(domainOrNull, url);
        }

        if (domainOrNull is not null)
        {
            return new(domainOrNull, new Uri("http://" + domainOrNull + "/"));
        }

        if (listener is null)
        {
            return new(null, null);
        }

        // An address that means "every address" is reached at this host's name.
        var host = listener.Address.Equals(IPAddress.Any) || listener.Address.Equals(IPAddress.IPv6Any)
            ? Environment.MachineName
            : listener.Address.ToString();
        return new(null, new UriBuilder(Uri.UriSchemeHttp, host, listener.Port).Uri);
    }

    /// <summary>
    /// <c>https://&lt;tool&gt;.&lt;domain&gt;/</c> when a domain is configured (the path form only
    /// redirects there), else <c>&lt;public-url&gt;/&lt;tool&gt;/</c>. Empty when the proxy has no
    /// address (no domain, no public URL and no listener).
    /// </summary>
    public IReadOnlyList<string> UrlsOf(string tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (Domain is { } domain)
        {
            var scheme = Root?.Scheme ?? Uri.UriSchemeHttp;
            var port = Root is { IsDefaultPort: false } ? ":" + Root.Port.ToString(CultureInfo.InvariantCulture) : "";
            return [$"{scheme}://{tool}.{domain}{port}/"];
        }

        return Root is null ? [] : [new Uri(Root, tool + "/").ToString()];
    }
}
