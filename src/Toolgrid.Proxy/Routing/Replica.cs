using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Toolgrid.Proxy.Routing;

/// <summary>A run of a web service that gets traffic: where it listens.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Node">The node it runs on.</param>
/// <param name="Address">The address the node's runs are reached at.</param>
/// <param name="Port">Its <c>$PORT</c>.</param>
public sealed record Replica(long RunId, string Node, string Address, int Port)
{
    /// <summary>The destination address for YARP: <c>http://ADDRESS:PORT/</c>.</summary>
    public string Url
    {
        get
        {
            var host = IPAddress.TryParse(Address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address;
            return string.Create(CultureInfo.InvariantCulture, $"http://{host}:{Port}/");
        }
    }
}
