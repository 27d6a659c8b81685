using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Toolgrid.Proxy.Routing;

/// <summary>YARP's configuration, made from the store by <see cref="ProxyStateSource"/>; changed only when the routes really change.</summary>
public sealed class StoreProxyConfigProvider : IProxyConfigProvider
{
    private readonly Lock _lock = new();
    private Snapshot _current = new([], [], "");

    public IProxyConfig GetConfig() => Volatile.Read(ref _current);

    /// <summary>Publishes the routes of <paramref name="state"/>; returns whether they differ from the last ones.</summary>
    public bool Update(ProxyState state, ProxyOptions options)
    {
        var fingerprint = ProxyRoutes.Fingerprint(state);
        Snapshot previous;
        lock (_lock)
        {
            previous = _current;
            if (previous.Fingerprint == fingerprint)
            {
                return false;
            }

            var (routes, clusters) = ProxyRoutes.Build(state, options);
            Volatile.Write(ref _current, new Snapshot(routes, clusters, fingerprint));
        }

        previous.SignalChange();
        return true;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "YARP holds a configuration's change token until it has read the next one, and never disposes it; a cancelled source holds no timer or handle.")]
    private sealed class Snapshot : IProxyConfig
    {
        private readonly CancellationTokenSource _changed = new();

        public Snapshot(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters, string fingerprint)
        {
            Routes = routes;
            Clusters = clusters;
            Fingerprint = fingerprint;
            ChangeToken = new CancellationChangeToken(_changed.Token);
        }

        public IReadOnlyList<RouteConfig> Routes { get; }

        public IReadOnlyList<ClusterConfig> Clusters { get; }

        public IChangeToken ChangeToken { get; }

        public string Fingerprint { get; }

        public string RevisionId { get; } = Guid.NewGuid().ToString("N");

        public void SignalChange() => _changed.Cancel();
    }
}
