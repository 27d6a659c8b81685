using Toolgrid.Contracts.Tools;

namespace Toolgrid.Proxy.Sites;

/// <summary>What a request to the proxy asks for, from its host and path alone. Pure.</summary>
/// <param name="Kind">What it is for.</param>
/// <param name="Tool">The tool it names, for <see cref="SiteRequestKind.ToolByHost"/> and <see cref="SiteRequestKind.ToolByPath"/>.</param>
/// <param name="Path">The path within the tool's site (starting with '/', or empty for <c>/&lt;tool&gt;</c> with no slash).</param>
public sealed record SiteRequest(SiteRequestKind Kind, string? Tool, string Path)
{
    /// <summary>Paths under this prefix belong to the proxy itself: no tool name starts with '_'.</summary>
    public const string OwnPrefix = "/_toolgrid/";

    public static SiteRequest Classify(string host, string path, ProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        host = host.ToLowerInvariant();
        if (options.Domain is { Length: > 0 } domain
            && host.Length > domain.Length + 1
            && host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(host, options.AdminHost, StringComparison.OrdinalIgnoreCase))
        {
            var label = host[..^(domain.Length + 1)];
            return label.Contains('.', StringComparison.Ordinal) || !ToolName.IsValid(label)
                ? new SiteRequest(SiteRequestKind.UnknownHost, null, path)
                : new SiteRequest(SiteRequestKind.ToolByHost, label, path.Length == 0 ? "/" : path);
        }

        if (path.Length <= 1)
        {
            return new SiteRequest(SiteRequestKind.Status, null, "/");
        }

        if (path.StartsWith(OwnPrefix, StringComparison.Ordinal))
        {
            return path[OwnPrefix.Length..] switch
            {
                "healthz" => new SiteRequest(SiteRequestKind.Health, null, path),
                "status" or "status.json" => new SiteRequest(SiteRequestKind.Status, null, path),
                _ => new SiteRequest(SiteRequestKind.NotFound, null, path),
            };
        }

        var end = path.IndexOf('/', 1);
        var tool = end < 0 ? path[1..] : path[1..end];
        return new SiteRequest(SiteRequestKind.ToolByPath, tool, end < 0 ? "" : path[end..]);
    }
}

/// <summary>What a request is for.</summary>
public enum SiteRequestKind
{
    /// <summary>The proxy's root (or its admin host's): the status page.</summary>
    Status,

    /// <summary>The proxy's own health check.</summary>
    Health,

    /// <summary>A path under the proxy's own prefix that is nothing.</summary>
    NotFound,

    /// <summary>A host under the domain that cannot be a tool.</summary>
    UnknownHost,

    /// <summary><c>&lt;tool&gt;.&lt;domain&gt;</c>.</summary>
    ToolByHost,

    /// <summary><c>/&lt;tool&gt;/…</c> on the root host.</summary>
    ToolByPath,
}
