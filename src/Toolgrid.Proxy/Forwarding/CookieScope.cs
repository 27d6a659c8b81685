using System.Text;

namespace Toolgrid.Proxy.Forwarding;

/// <summary>
/// Rewrites a <c>Set-Cookie</c> of a tool's web service so that the cookie stays the tool's. Pure.
/// </summary>
/// <remarks>
/// <para>In the path form every tool shares one origin, and a cookie the browser keeps for
/// <c>Path=/</c> goes with every request to every tool. So the path is kept within the tool's
/// prefix, as the app sees its own paths with the prefix taken off: no Path, <c>/</c> or a path
/// that is not a valid one becomes <c>/TOOL/</c>; <c>/admin</c> becomes <c>/TOOL/admin</c>
/// (another tool's <c>/other/</c> becomes <c>/TOOL/other/</c>, so it names nobody else); a path
/// already within <c>/TOOL</c> (an app that knows its prefix) is kept. The last Path attribute
/// counts, as in a browser.</para>
/// <para>In both forms a Domain attribute is dropped: it would share the cookie with every host
/// under that domain (every tool's <c>TOOL.DOMAIN</c>). Other attributes and the name and value
/// are kept as they were sent.</para>
/// <para>What this cannot do: a tool's scripts run in the shared origin of the path form and can
/// set any cookie with <c>document.cookie</c>; and a <c>__Host-</c> cookie, which must have
/// <c>Path=/</c>, is refused by browsers once scoped. Host mode gives each tool its own origin.</para>
/// </remarks>
public static class CookieScope
{
    /// <summary>The cookie of <paramref name="setCookie"/> kept to the tool served at <paramref name="prefix"/> (<c>/TOOL</c>), or, with no prefix (the host form), only without a Domain.</summary>
    public static string Rewrite(string setCookie, string? prefix)
    {
        ArgumentNullException.ThrowIfNull(setCookie);
        var parts = setCookie.Split(';');
        var cookie = new StringBuilder(parts[0].Trim());
        string? path = null;
        foreach (var part in parts.Skip(1))
        {
            var attribute = part.Trim();
            var equals = attribute.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? attribute : attribute[..equals]).Trim();
            if (attribute.Length == 0 || name.Equals("Domain", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (prefix is not null && name.Equals("Path", StringComparison.OrdinalIgnoreCase))
            {
                path = equals < 0 ? "" : attribute[(equals + 1)..].Trim();
                continue;
            }

            cookie.Append("; ").Append(attribute);
        }

        if (prefix is not null)
        {
            cookie.Append("; Path=").Append(Within(path, prefix));
        }

        return cookie.ToString();
    }

    /// <summary>The path a cookie gets: within <paramref name="prefix"/>.</summary>
    private static string Within(string? path, string prefix)
    {
        if (path is null || !path.StartsWith('/'))
        {
            return prefix + "/";
        }

        return path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal) ? path : prefix + path;
    }
}
