using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Toolgrid.Contracts.Tools;
using Toolgrid.Proxy.Forwarding;
using Toolgrid.Proxy.Routing;

namespace Toolgrid.Proxy.Nginx;

/// <summary>
/// nginx's configuration for a <see cref="ProxyState"/> when nginx is the data plane
/// (<see cref="ProxyOptions.DataPlane"/> <c>nginx</c>): one upstream per tool whose web service
/// has replicas getting traffic (keepalive), <c>location /TOOL/</c> forwarding to it with the
/// prefix taken off and the headers the embedded proxy sets; everything else to toolgridd's own
/// proxy listener on loopback, which answers it as it always does. Pure.
/// </summary>
/// <remarks>
/// <para>Only what toolgridd's own proxy would forward straight to a replica goes from nginx to
/// the replica. What needs a decision goes to toolgridd: the status page, default pages,
/// <c>public_html</c>, tools without a replica getting traffic, the path without its slash (a
/// redirect), any path with a segment that starts with '.', a '\' or a '%' left after decoding
/// (the hidden-path rule, <see cref="Core.Webservices.DotPaths"/>), and a request whose replica
/// could not be reached (nginx's 502/504, sent again to toolgridd, which retries or says why).</para>
/// <para>Nothing a tool or the store controls reaches the text unchecked: a tool name must be a
/// valid one (<see cref="ToolName"/>), a replica's address an IP address or a DNS name and its
/// port a number, or the tool or replica is left out (and served by toolgridd, which forwards
/// to it itself). The client's own headers are only ever nginx variables, never text here.</para>
/// <para>Upstream servers are IP addresses only: a replica's node name is written as the
/// addresses toolgridd found for it (<see cref="NginxNodeNames"/>), and a replica whose name has
/// none is left out. nginx would resolve a name itself when it loads the configuration, and
/// refuse all of it, every tool's routes, for one name that does not resolve.</para>
/// </remarks>
public static partial class NginxConfig
{
    /// <summary>The header by which toolgridd knows a request came through its nginx.</summary>
    public const string FrontHeader = "X-Toolgrid-Front";

    private const string SiteUpstream = "toolgridd.site";

    /// <summary>The configuration; <paramref name="names"/> are the addresses of the replicas' node names (a replica whose name is not there is left out).</summary>
    public static string Render(ProxyState state, NginxSite site, ProxyOptions options, IReadOnlyDictionary<string, IReadOnlyList<IPAddress>>? names = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(options);
        Require(NginxChecks.IsSafePath(site.Directory), "the nginx directory", site.Directory);
        Require(HexSecret().IsMatch(site.FrontSecret), "the front secret", "(not shown)");
        Require(site.User is null || NginxChecks.IsUserName(site.User), "the nginx user", site.User ?? "");
        Require(NginxChecks.IsWorkers(site.Workers), "the nginx workers", site.Workers);

        var dir = site.Directory.TrimEnd('/');
        var text = new StringBuilder();
        text.Append("# Written by toolgridd (Toolgrid:Proxy:DataPlane=nginx) from the routes in its store; rewritten when they change. Do not edit.\n");
        text.Append("daemon off;\nmaster_process on;\n");
        text.Append("worker_processes ").Append(site.Workers).Append(";\n");
        if (site.User is { } user)
        {
            text.Append("user ").Append(user).Append(";\n");
        }

        text.Append("pid ").Append(dir).Append("/nginx.pid;\n");
        text.Append("error_log stderr warn;\n");
        text.Append("events { worker_connections 4096; }\n");
        text.Append("http {\n");
        text.Append("    access_log off;\n    server_tokens off;\n    merge_slashes off;\n");
        foreach (var temp in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            text.Append("    ").Append(temp).Append("_temp_path ").Append(dir).Append("/tmp/").Append(temp).Append(";\n");
        }

        text.Append("    client_max_body_size ").Append(Invariant(options.MaxRequestBodyBytes)).Append(";\n");
        text.Append("    proxy_connect_timeout ").Append(Milliseconds(options.ConnectTimeout)).Append(";\n");
        text.Append("    proxy_read_timeout ").Append(Milliseconds(options.ReadTimeout)).Append(";\n");
        text.Append("    proxy_send_timeout ").Append(Milliseconds(options.ReadTimeout)).Append(";\n");
        text.Append("    proxy_http_version 1.1;\n");
        // Answers are passed on as they come, as the embedded proxy does (server-sent events, long polls).
        text.Append("    proxy_buffering off;\n");
        text.Append("    proxy_next_upstream error timeout;\n");
        text.Append("    proxy_next_upstream_tries ").Append(Invariant(options.MaxAttempts)).Append(";\n");
        text.Append("    map $http_upgrade $toolgrid_connection { default upgrade; '' ''; }\n");
        text.Append("    upstream ").Append(SiteUpstream).Append(" {\n        server ").Append(Endpoint(site.Site)).Append(";\n        keepalive 64;\n    }\n");

        var served = new List<(string Tool, List<string> Servers)>();
        foreach (var web in state.Webservices.Values.Where(w => w.Replicas.Count > 0).OrderBy(w => w.Job.ToolName, StringComparer.Ordinal))
        {
            var tool = web.Job.ToolName;
            var servers = web.Replicas.OrderBy(r => r.RunId).SelectMany(r => Servers(r, names)).Distinct(StringComparer.Ordinal).ToList();
            if (ToolName.IsValid(tool) && servers.Count > 0)
            {
                served.Add((tool, servers));
            }
        }

        var pause = Invariant((long)Math.Ceiling(options.FailedReplicaPause.TotalSeconds));
        foreach (var (tool, servers) in served)
        {
            text.Append("    upstream tool.").Append(tool).Append(" {\n");
            foreach (var server in servers)
            {
                text.Append("        server ").Append(server).Append(" max_fails=1 fail_timeout=").Append(pause).Append("s;\n");
            }

            text.Append("        keepalive 64;\n    }\n");
        }

        text.Append("    server {\n");
        foreach (var listen in site.Listen)
        {
            text.Append("        listen ").Append(Endpoint(listen)).Append(" backlog=4096;\n");
        }

        text.Append("        server_name _;\n");
        text.Append("        location / {\n");
        ToSite(text, "            ", site);
        text.Append("        }\n");
        text.Append("        location @toolgridd {\n");
        // nginx got no answer from a tool's replicas (502). A request that may change something
        // could have reached a replica already: it is not sent again (nginx's own rule for its
        // next upstream); toolgridd retries and explains the rest.
        ToSite(text, "            ", site);
        text.Append("            if ($request_method !~ ^(GET|HEAD|OPTIONS)$ ) {\n                return 502;\n            }\n");
        text.Append("        }\n");
        foreach (var (tool, _) in served)
        {
            text.Append("        location /").Append(tool).Append("/ {\n");
            text.Append("            proxy_pass http://tool.").Append(tool).Append("/;\n");
            Headers(text, "            ", "/" + tool, "\"\"");
            // Cookies are kept to the tool (CookieScope): a path within /TOOL stays, any other
            // path goes under /TOOL, an invalid one becomes /TOOL/. (A cookie without a path gets
            // the browser's default, the request's directory, which is within /TOOL/ already.)
            text.Append("            proxy_cookie_path ~^(/").Append(tool).Append("(/.*)?)$ $1;\n");
            text.Append("            proxy_cookie_path ~^(/.*)$ /").Append(tool).Append("$1;\n");
            text.Append("            proxy_cookie_path ~^(.*)$ /").Append(tool).Append("/;\n");
            // A tool's cookie never names a domain: it would reach every host under it (CookieScope
            // drops the attribute; nginx cannot, so it leaves it empty, which browsers ignore).
            text.Append("            proxy_cookie_domain ~.+ \"\";\n");
            // A 504 means the replica still works on the request: it is not sent again.
            text.Append("            error_page 502 = @toolgridd;\n");
            text.Append("            location ~ \"/\\.|%|\\x5c\" {\n");
            ToSite(text, "                ", site);
            text.Append("            }\n");
            text.Append("        }\n");
        }

        text.Append("    }\n}\n");
        return text.ToString();
    }

    /// <summary>Whether a replica's address can be written into the configuration as it is: an IP address or a DNS name.</summary>
    public static bool IsSafeAddress(string address) =>
        IPAddress.TryParse(address, out _) || (address.Length <= 253 && HostName().IsMatch(address));

    private static void ToSite(StringBuilder text, string indent, NginxSite site)
    {
        text.Append(indent).Append("proxy_pass http://").Append(SiteUpstream).Append(";\n");
        Headers(text, indent, "\"\"", site.FrontSecret);
    }

    /// <summary>The headers the embedded proxy sets (<see cref="ForwardingTransforms"/>); nginx sends none of a location's parents' once it sets one, so each location gets them all.</summary>
    private static void Headers(StringBuilder text, string indent, string prefix, string front)
    {
        text.Append(indent).Append("proxy_set_header Host $http_host;\n");
        text.Append(indent).Append("proxy_set_header X-Forwarded-For $remote_addr;\n");
        text.Append(indent).Append("proxy_set_header X-Forwarded-Proto $scheme;\n");
        text.Append(indent).Append("proxy_set_header X-Forwarded-Host $http_host;\n");
        text.Append(indent).Append("proxy_set_header X-Forwarded-Prefix ").Append(prefix).Append(";\n");
        text.Append(indent).Append("proxy_set_header ").Append(FrontHeader).Append(' ').Append(front).Append(";\n");
        foreach (var header in ForwardingTransforms.Spoofable)
        {
            text.Append(indent).Append("proxy_set_header ").Append(header).Append(" \"\";\n");
        }

        text.Append(indent).Append("proxy_set_header Upgrade $http_upgrade;\n");
        text.Append(indent).Append("proxy_set_header Connection $toolgrid_connection;\n");
    }

    /// <summary>Where nginx reaches a replica: its address, or each of its node name's addresses; none when it has none or is not fit to be written.</summary>
    private static IEnumerable<string> Servers(Replica replica, IReadOnlyDictionary<string, IReadOnlyList<IPAddress>>? names)
    {
        if (replica.Port is < 1 or > 65535 || !IsSafeAddress(replica.Address))
        {
            return [];
        }

        IReadOnlyList<IPAddress> addresses = IPAddress.TryParse(replica.Address, out var ip) ? [ip]
            : names is not null && names.TryGetValue(replica.Address, out var found) ? found
            : [];

        // nginx takes no zone (fe80::1%eth0).
        return addresses
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork || (a.AddressFamily == AddressFamily.InterNetworkV6 && a.ScopeId == 0))
            .Select(a => Endpoint(new IPEndPoint(a, replica.Port)));
    }

    private static string Endpoint(IPEndPoint endpoint) =>
        (endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + endpoint.Address + "]" : endpoint.Address.ToString()) + ":" + Invariant(endpoint.Port);

    private static string Milliseconds(TimeSpan time) => Invariant((long)Math.Ceiling(time.TotalMilliseconds)) + "ms";

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Require(bool ok, string what, string value)
    {
        if (!ok)
        {
            throw new ArgumentException($"{what} cannot be written into nginx's configuration as it is: '{value}'.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();

    [GeneratedRegex("^[0-9a-f]{32,128}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex HexSecret();
}
