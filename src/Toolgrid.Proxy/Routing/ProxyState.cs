namespace Toolgrid.Proxy.Routing;

/// <summary>Everything the proxy knows, as last read from the store: immutable, swapped whole.</summary>
/// <param name="Tools">Every tool (deleted ones too), by name.</param>
/// <param name="Webservices">Each tool's live web service, by tool name.</param>
/// <param name="ReadAt">When it was read.</param>
/// <param name="StaleSince">Set while the store cannot be read: the proxy goes on with this state.</param>
public sealed record ProxyState(
    IReadOnlyDictionary<string, ToolSite> Tools,
    IReadOnlyDictionary<string, WebserviceSite> Webservices,
    DateTimeOffset ReadAt,
    DateTimeOffset? StaleSince = null)
{
    /// <summary>Before the store was first read.</summary>
    public static readonly ProxyState Empty = new(
        new Dictionary<string, ToolSite>(StringComparer.Ordinal),
        new Dictionary<string, WebserviceSite>(StringComparer.Ordinal),
        DateTimeOffset.MinValue);

    public bool Loaded => ReadAt != DateTimeOffset.MinValue;
}
