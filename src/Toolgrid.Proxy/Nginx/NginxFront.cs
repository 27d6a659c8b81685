using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Toolgrid.Proxy.Nginx;

/// <summary>
/// In toolgridd's own proxy behind its nginx: a request that carries nginx's secret
/// (<see cref="NginxConfig.FrontHeader"/>) came through nginx, so its <c>X-Forwarded-For</c> and
/// <c>-Proto</c> are the client's and become the request's; any other request is taken as it
/// came. The secret header is removed either way, so that no tool ever sees it.
/// </summary>
public sealed class NginxFront(string secret)
{
    private readonly byte[] _secret = Encoding.ASCII.GetBytes(secret);

    public Task Middleware(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var headers = context.Request.Headers;
        if (headers.Remove(NginxConfig.FrontHeader, out var given)
            && given.Count == 1
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given[0] ?? ""), _secret))
        {
            if (IPAddress.TryParse(headers["X-Forwarded-For"].ToString(), out var client))
            {
                context.Connection.RemoteIpAddress = client;
            }

            var scheme = headers["X-Forwarded-Proto"].ToString();
            if (scheme is "http" or "https")
            {
                context.Request.Scheme = scheme;
            }
        }

        return next(context);
    }
}
