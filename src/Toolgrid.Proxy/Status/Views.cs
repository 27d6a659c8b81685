using Toolgrid.Core.Webservices;

namespace Toolgrid.Proxy.Status;

/// <summary>Maps summaries to the status page's views.</summary>
public static class Views
{
    public static WebserviceStatusView Of(WebserviceSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new(summary.Type, summary.State, summary.Status, summary.Replicas, summary.Ready, summary.IsUp, summary.Warning);
    }

    public static JobsStatusView Of(JobsSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new(summary.Total, summary.Running, summary.Failing, summary.IsUp, summary.Problems);
    }
}
