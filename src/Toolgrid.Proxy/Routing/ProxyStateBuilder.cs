using Toolgrid.Core.Webservices;

namespace Toolgrid.Proxy.Routing;

/// <summary>Makes a <see cref="ProxyState"/> from what was read: which runs get traffic and at what address. Pure.</summary>
public static class ProxyStateBuilder
{
    public static ProxyState Build(IReadOnlyDictionary<string, ToolSite> tools, WebserviceRows rows, ProxyOptions options, string machineName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        var runsByJob = rows.ActiveRuns.ToLookup(r => r.JobId);
        var endedByJob = rows.LatestEnded.ToDictionary(r => r.JobId);
        var webservices = new Dictionary<string, WebserviceSite>(StringComparer.Ordinal);
        foreach (var job in rows.Jobs)
        {
            // A deleted tool's runs are being stopped: it gets no traffic, and its pages say it is gone.
            if (!tools.TryGetValue(job.ToolName, out var tool) || !tool.Active)
            {
                continue;
            }

            var runs = runsByJob[job.Id].OrderBy(r => r.Id).ToList();
            var replicas = runs
                .Where(r => WebserviceStatus.IsRoutable(job, r, WebserviceStatus.NodeOf(r, rows.Nodes)))
                .Select(r => new Replica(r.Id, r.Node!, NodeAddress(r.Node!, options, machineName), r.Port!.Value))
                .ToList();
            var summary = WebserviceStatus.Describe(job, runs, endedByJob.GetValueOrDefault(job.Id), rows.Nodes, now);
            webservices[job.ToolName] = new WebserviceSite(job, runs, replicas, summary);
        }

        return new ProxyState(tools, webservices, now);
    }

    /// <summary>Where a node's runs are reached: as configured; this host at 127.0.0.1; any other node at its name.</summary>
    public static string NodeAddress(string node, ProxyOptions options, string machineName)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.NodeAddresses.TryGetValue(node, out var address))
        {
            return address.Trim('[', ']');
        }

        return string.Equals(node, machineName, StringComparison.OrdinalIgnoreCase) || node == "localhost" ? "127.0.0.1" : node;
    }
}
