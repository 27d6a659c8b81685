using System.Net;

namespace Toolgrid.Proxy;

/// <summary>One address the proxy listens on: a TCP endpoint, or a Unix socket.</summary>
/// <param name="EndPoint">The TCP endpoint, or null for a Unix socket.</param>
/// <param name="SocketPath">The Unix socket's path, or null for TCP.</param>
public sealed record ProxyListener(IPEndPoint? EndPoint, string? SocketPath)
{
    /// <summary>Reads <see cref="ProxyOptions.Urls"/>; adds a message to <paramref name="errors"/> for each entry that is not an address.</summary>
    public static IReadOnlyList<ProxyListener> Parse(string? urls, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var listeners = new List<ProxyListener>();
        foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (url.StartsWith("unix:", StringComparison.Ordinal))
            {
                var path = url["unix:".Length..];
                if (!Path.IsPathFullyQualified(path))
                {
                    errors.Add($"{ProxyOptions.Section}:Urls has '{url}': a Unix socket needs an absolute path (unix:/run/toolgrid/proxy.sock).");
                    continue;
                }

                listeners.Add(new ProxyListener(null, path));
                continue;
            }

            // Uri refuses '*' and '+' as hosts; they mean every address.
            var text = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/" || uri.Query.Length > 0)
            {
                errors.Add($"{ProxyOptions.Section}:Urls has '{url}': give http://ADDRESS:PORT or unix:/path (put TLS in a front proxy or terminator).");
                continue;
            }

            IPAddress? address = uri.Host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var parsed) ? parsed : null;
            if (address is null)
            {
                errors.Add($"{ProxyOptions.Section}:Urls has '{url}': the host must be an IP address, localhost or *.");
                continue;
            }

            listeners.Add(new ProxyListener(new IPEndPoint(address, uri.Port), null));
        }

        return listeners;
    }

    public override string ToString() => SocketPath is { } path ? "unix:" + path : "http://" + EndPoint;
}
