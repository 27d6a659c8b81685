using Toolgrid.Core.Backends;

namespace Toolgrid.Controller;

/// <summary>Each node reached at its name: where nothing else says (the proxy's options do, when it is registered).</summary>
public sealed class NodeNames : INodeAddresses
{
    public string Resolve(string node) => node;
}
