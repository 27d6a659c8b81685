namespace Toolgrid.Core.Backends;

/// <summary>Where a node's runs are reached from toolgridd's host: by the front proxy, and by the health checks of runs an engine placed.</summary>
public interface INodeAddresses
{
    /// <summary>The host name or address of <paramref name="node"/>.</summary>
    string Resolve(string node);
}
