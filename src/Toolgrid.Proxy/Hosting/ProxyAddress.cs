using Toolgrid.Core.Webservices;

namespace Toolgrid.Proxy.Hosting;

/// <summary>Where people reach the proxy, from its settings.</summary>
public static class ProxyAddress
{
    public static WebserviceAddress Of(ProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var listener = ProxyListener.Parse(options.Urls, []).FirstOrDefault(l => l.EndPoint is not null);
        return WebserviceAddress.Of(options.PublicUrl, options.Domain, listener?.EndPoint);
    }
}
