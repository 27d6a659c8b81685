namespace Toolgrid.Proxy.Routing;

/// <summary>A tool as the proxy knows it: enough to serve its pages and its <c>public_html</c>.</summary>
/// <param name="Name">The tool's name.</param>
/// <param name="Description">What it is, in its maintainers' words.</param>
/// <param name="Maintainers">Its maintainers' user names, sorted.</param>
/// <param name="Home">Its home directory.</param>
/// <param name="Uid">Its Unix user: files are served only when that user could read them.</param>
/// <param name="Gid">Its Unix group.</param>
/// <param name="Active">False once the tool is deleted (disabled).</param>
public sealed record ToolSite(string Name, string Description, IReadOnlyList<string> Maintainers, string Home, int Uid, int Gid, bool Active);
