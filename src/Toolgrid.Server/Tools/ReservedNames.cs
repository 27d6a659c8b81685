using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Tools;
using Toolgrid.Core.Tools;
using Toolgrid.Proxy;

namespace Toolgrid.Server.Tools;

/// <summary>The names no new tool may have on this site: the configured list (or the default), and the proxy's admin host.</summary>
public sealed class ReservedNames
{
    public ReservedNames(IOptions<ToolOptions> tools, IOptions<ProxyOptions> proxy)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(proxy);
        var names = new HashSet<string>(tools.Value.ReservedNames ?? [.. ReservedToolNames.Default], StringComparer.Ordinal);

        // TOOL.DOMAIN is the tool's address; one equal to the admin host would serve the status page instead.
        if (proxy.Value.Domain is { Length: > 0 } domain
            && proxy.Value.AdminHost is { Length: > 0 } admin
            && admin.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase)
            && admin[..^(domain.Length + 1)].ToLowerInvariant() is var label
            && ToolName.IsValid(label))
        {
            names.Add(label);
        }

        Names = names;
    }

    public IReadOnlySet<string> Names { get; }
}
