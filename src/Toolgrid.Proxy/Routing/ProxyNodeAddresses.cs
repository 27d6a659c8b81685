using Microsoft.Extensions.Options;
using Toolgrid.Core.Backends;

namespace Toolgrid.Proxy.Routing;

/// <summary>Where the proxy sends a node's traffic (<see cref="ProxyStateBuilder.NodeAddress"/>): the health checks made from this host go there too.</summary>
public sealed class ProxyNodeAddresses(IOptions<ProxyOptions> options) : INodeAddresses
{
    public string Resolve(string node) => ProxyStateBuilder.NodeAddress(node, options.Value, Environment.MachineName);
}
