namespace Toolgrid.Proxy;

/// <summary>The front proxy's settings (section <c>Toolgrid:Proxy</c>).</summary>
/// <remarks>
/// Times are read as <c>hh:mm:ss[.fff]</c> (e.g. <c>00:10:00</c>). Every setting has a default
/// that suits the embedded, one-machine site; see docs/operator-guide.md.
/// </remarks>
public sealed class ProxyOptions
{
    public const string Section = "Toolgrid:Proxy";

    /// <summary>The toolgridd default when it runs as root: loopback, port 8480 (put TLS and port 443 in front).</summary>
    public const string DefaultRootUrl = "http://127.0.0.1:8480";

    /// <summary>
    /// Where the proxy listens, separated by ';': <c>http://ADDRESS:PORT</c> (an IP address,
    /// <c>localhost</c>, or <c>*</c> for every address) or <c>unix:/path</c>. Empty: the proxy
    /// does not listen.
    /// </summary>
    public string? Urls { get; set; }

    /// <summary>
    /// The domain tools are served under: <c>&lt;tool&gt;.&lt;Domain&gt;</c>. When set, the path
    /// form <c>/&lt;tool&gt;/…</c> redirects (301) there, so that tools' cookies are kept apart by
    /// origin. When not set, tools are served at <c>/&lt;tool&gt;/…</c> only.
    /// </summary>
    public string? Domain { get; set; }

    /// <summary>A host name that serves the status page (besides the bare <see cref="Domain"/>, and any host when no domain is set).</summary>
    public string? AdminHost { get; set; }

    /// <summary>
    /// How people reach the proxy, e.g. <c>https://toolgrid.example.org</c>: the scheme and port
    /// of the addresses that <c>webservice status</c> shows. Default: <c>http://</c> and the
    /// domain, or else the first of <see cref="Urls"/>.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The largest request body passed on to a tool (default 128 MiB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>How long the proxy waits for a replica's answer, or for the next piece of it (default 600 s).</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>How long a connection to a replica may take to open (default 5 s).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the routes are read from the store when nothing was heard of (default 250 ms):
    /// writes made by this process reach the proxy at once, those of other processes within this.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the whole list of tools (descriptions, maintainers) is read again even when its counts did not change (default 10 s).</summary>
    public TimeSpan ToolsRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the status page's summary of jobs is reused (default 2 s).</summary>
    public TimeSpan StatusCacheDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the proxy itself asks each replica's health-check path (default 5 s).</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one such health check may take (default 3 s).</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a replica that failed a request (connection refused or reset) gets no new requests (default 10 s).</summary>
    public TimeSpan FailedReplicaPause { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many replicas one request may be tried on when they fail before answering (default 3).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Request bodies up to this size are kept so that they can be sent again to another replica (default 64 KiB).</summary>
    public long RetryBufferBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Addresses of proxies in front of this one (a TLS terminator) whose <c>X-Forwarded-For</c>,
    /// <c>-Proto</c> and <c>-Host</c> are believed. From any other peer these headers are replaced.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// The address at which the runs of a node are reached, by node name. A node not listed is
    /// reached at 127.0.0.1 when it is this host, else at its name.
    /// </summary>
    public Dictionary<string, string> NodeAddresses { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// What forwards requests to the replicas: <c>yarp</c> (the default: toolgridd itself, one
    /// binary) or <c>nginx</c> (toolgridd starts nginx on <see cref="Urls"/> and writes its
    /// routes into nginx's configuration; what nginx does not forward goes to toolgridd's own
    /// proxy on a loopback port).
    /// </summary>
    public string DataPlane { get; set; } = DataPlanes.Yarp;

    /// <summary>The nginx binary, for <see cref="DataPlane"/> <c>nginx</c> (default <c>/usr/sbin/nginx</c>).</summary>
    public string NginxPath { get; set; } = "/usr/sbin/nginx";

    /// <summary>nginx's configuration, pid file and temporary files (default: <c>nginx</c> in toolgridd's state directory). Root's: never a place tools can write.</summary>
    public string? NginxDirectory { get; set; }

    /// <summary>The Unix user of nginx's workers when toolgridd runs as root (default <c>www-data</c>).</summary>
    public string NginxUser { get; set; } = "www-data";

    /// <summary>nginx's <c>worker_processes</c>: a number or <c>auto</c> (default, one per core).</summary>
    public string NginxWorkers { get; set; } = "auto";
}

/// <summary>The values of <see cref="ProxyOptions.DataPlane"/>.</summary>
public static class DataPlanes
{
    public const string Yarp = "yarp";
    public const string Nginx = "nginx";

    public static bool IsNginx(ProxyOptions options) => string.Equals(options?.DataPlane, Nginx, StringComparison.OrdinalIgnoreCase);
}
