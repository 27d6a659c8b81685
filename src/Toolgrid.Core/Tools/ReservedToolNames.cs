namespace Toolgrid.Core.Tools;

/// <summary>Names no tool may have, because the site, or the platform, answers to them. Pure.</summary>
/// <remarks>
/// A tool's name becomes a host name (<c>NAME.DOMAIN</c>), a path on the proxy (<c>/NAME/</c>)
/// and a mail address's local part. A tool named <c>www</c>, <c>api</c> or <c>login</c> would pose
/// as the site itself, and one named <c>mail</c> or <c>admin</c> could receive what is meant for its
/// operators. The proxy's own paths (<c>/_toolgrid/…</c>) cannot clash: no tool name starts with
/// '_'. The API is a server of its own, so its paths (<c>/api</c>, <c>/healthz</c>) are reserved
/// here for the day both are served under one name.
/// </remarks>
public static class ReservedToolNames
{
    /// <summary>The site's list unless it sets <c>Toolgrid:Tools:ReservedNames</c>.</summary>
    public static IReadOnlyList<string> Default { get; } =
    [
        "admin", "administrator", "api", "auth", "docs", "ftp", "healthz", "help", "hostmaster", "imap",
        "localhost", "login", "mail", "noc", "openapi", "pop", "postmaster", "root", "security", "smtp",
        "ssh", "static", "status", "support", "sysadmin", "toolgrid", "tools", "webmaster", "webmail", "www",
    ];

    /// <summary>Why <paramref name="name"/> may not be a new tool's name, or null when it may.</summary>
    /// <param name="name">A well-formed tool name.</param>
    /// <param name="reserved">The site's reserved names.</param>
    public static string? WhyReserved(string name, IReadOnlyCollection<string> reserved)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(reserved);
        return reserved.Contains(name, StringComparer.Ordinal)
            ? $"'{name}' is a reserved name on this site: it is kept for the site's own addresses (such as {name}.DOMAIN or /{name}/), so a tool may not take it. Choose another name."
            : null;
    }
}
