using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Toolgrid.Proxy.Forwarding;

/// <summary>
/// Passive health: a replica that fails a request (refused, reset, timed out) gets no new requests
/// for <see cref="ProxyOptions.FailedReplicaPause"/>, at once, on the first failure.
/// </summary>
/// <remarks>
/// YARP's own policy waits for a failure rate over a window, so a replica killed under load keeps
/// being chosen for a while, and each request sent to it costs a retry. Replicas are processes
/// of one tool on a shared grid: one that fails to answer is far more likely dead than unlucky.
/// The active health check, or the end of the pause, brings it back.
/// </remarks>
public sealed class ReplicaFailurePolicy(IDestinationHealthUpdater health, IClusterDestinationsUpdater destinations, IOptions<ProxyOptions> options) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "ToolgridReplicaFailure";

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(cluster);
        if (context.Features.Get<IForwarderErrorFeature>() is { } error && ReplicaFailure.IsReplicaFault(error.Error) && !context.RequestAborted.IsCancellationRequested)
        {
            var pause = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? options.Value.FailedReplicaPause;
            health.SetPassive(cluster, destination, DestinationHealth.Unhealthy, pause);

            // YARP recomputes the available replicas for a passive change on the thread pool, later:
            // do it now, so that the very next request does not go to the replica that just failed.
            destinations.UpdateAvailableDestinations(cluster);
        }
    }
}
