using System.Net;
using System.Text;
using Toolgrid.Proxy.Forwarding;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace Toolgrid.Proxy.Routing;

/// <summary>
/// YARP's routes and clusters for a <see cref="ProxyState"/>: one cluster per tool whose web
/// service has replicas that get traffic, reached by its host (<c>&lt;tool&gt;.&lt;domain&gt;</c>)
/// when a domain is set, else by its path (<c>/&lt;tool&gt;/…</c>, the prefix taken off). Pure.
/// </summary>
/// <remarks>
/// A tool without such replicas has no route: its requests fall through to the site handler,
/// which serves its <c>public_html</c>, its default page, or a 503 that says why.
/// </remarks>
public static class ProxyRoutes
{
    public const string ToolKey = "toolgrid.tool";

    /// <summary>Set on a path-form route: the prefix taken off before forwarding (<c>/&lt;tool&gt;</c>).</summary>
    public const string PrefixKey = "toolgrid.prefix";

    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(ProxyState state, ProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var site in state.Webservices.Values.Where(w => w.Replicas.Count > 0).OrderBy(w => w.Job.ToolName, StringComparer.Ordinal))
        {
            var tool = site.Job.ToolName;
            var clusterId = "tool/" + tool;
            clusters.Add(new ClusterConfig
            {
                ClusterId = clusterId,
                LoadBalancingPolicy = LoadBalancingPolicies.PowerOfTwoChoices,
                Destinations = site.Replicas.ToDictionary(r => "run-" + r.RunId.ToString(System.Globalization.CultureInfo.InvariantCulture), r => new DestinationConfig { Address = r.Url }, StringComparer.Ordinal),
                HealthCheck = new HealthCheckConfig
                {
                    AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyAndUnknown,
                    Active = new ActiveHealthCheckConfig
                    {
                        Enabled = site.Job.HealthCheckHttpPath is not null,
                        Interval = options.HealthCheckInterval,
                        Timeout = options.HealthCheckTimeout,
                        Policy = "ConsecutiveFailures",
                        Path = site.Job.HealthCheckHttpPath,
                    },
                    Passive = new PassiveHealthCheckConfig
                    {
                        Enabled = true,
                        Policy = ReplicaFailurePolicy.PolicyName,
                        ReactivationPeriod = options.FailedReplicaPause,
                    },
                },
                HttpRequest = new ForwarderRequestConfig
                {
                    ActivityTimeout = options.ReadTimeout,
                    Version = HttpVersion.Version11,
                    VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
                },
                Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [ToolKey] = tool },
            });

            if (options.Domain is { Length: > 0 } domain)
            {
                routes.Add(new RouteConfig
                {
                    RouteId = "host/" + tool,
                    ClusterId = clusterId,
                    Match = new RouteMatch { Hosts = [tool + "." + domain], Path = "/{**rest}" },
                    Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [ToolKey] = tool },
                });
            }
            else
            {
                routes.Add(new RouteConfig
                {
                    RouteId = "path/" + tool,
                    ClusterId = clusterId,
                    Match = new RouteMatch { Path = "/" + tool + "/{**rest}" },
                    Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [ToolKey] = tool, [PrefixKey] = "/" + tool },
                });
            }
        }

        return (routes, clusters);
    }

    /// <summary>What the routes depend on, as text: equal fingerprints give equal routes.</summary>
    public static string Fingerprint(ProxyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var text = new StringBuilder();
        foreach (var site in state.Webservices.Values.Where(w => w.Replicas.Count > 0).OrderBy(w => w.Job.ToolName, StringComparer.Ordinal))
        {
            text.Append(site.Job.ToolName).Append('|').Append(site.Job.HealthCheckHttpPath).Append('|');
            foreach (var replica in site.Replicas.OrderBy(r => r.RunId))
            {
                text.Append(replica.RunId).Append('=').Append(replica.Url).Append(',');
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
