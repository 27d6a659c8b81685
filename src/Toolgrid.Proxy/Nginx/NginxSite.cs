using System.Net;

namespace Toolgrid.Proxy.Nginx;

/// <summary>What an nginx configuration needs besides the routes: where it listens, where toolgridd's own listener is, its files.</summary>
/// <param name="Listen">Where nginx listens (the proxy's <see cref="ProxyOptions.Urls"/>).</param>
/// <param name="Site">toolgridd's own proxy listener on loopback: everything nginx does not forward to a replica goes there.</param>
/// <param name="FrontSecret">Sent to <see cref="Site"/> with every request, so that toolgridd believes nginx's <c>X-Forwarded-*</c> (and nobody else's).</param>
/// <param name="Directory">nginx's own directory: its pid file and temporary files (root's, not writable by tools).</param>
/// <param name="User">The Unix user of nginx's workers, or null when toolgridd is not root (they run as toolgridd's).</param>
/// <param name="Workers">nginx's <c>worker_processes</c>: a number or <c>auto</c>.</param>
public sealed record NginxSite(
    IReadOnlyList<IPEndPoint> Listen,
    IPEndPoint Site,
    string FrontSecret,
    string Directory,
    string? User,
    string Workers);
