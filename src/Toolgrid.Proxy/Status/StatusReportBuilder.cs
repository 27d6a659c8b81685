using Toolgrid.Core.Webservices;
using Toolgrid.Proxy.Routing;

namespace Toolgrid.Proxy.Status;

/// <summary>Makes the status page's report from the proxy's state and the jobs' summaries.</summary>
public static class StatusReportBuilder
{
    public static StatusReport Build(ProxyState state, JobsSummaries jobs, SiteLinks links, Func<string, bool> hasPublicHtml, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(hasPublicHtml);
        var tools = state.Tools.Values
            .Where(t => t.Active)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t =>
            {
                var webservice = SummaryOf(state, t, hasPublicHtml);
                var summary = jobs.For(t.Name);
                var up = (webservice.IsNone || webservice.IsUp) && summary.IsUp;
                return new ToolStatus(t.Name, t.Description, t.Maintainers, links.Tool(t.Name), Views.Of(webservice), Views.Of(summary), up);
            })
            .ToList();
        return new StatusReport(now, state.StaleSince is not null || jobs.Stale, tools, jobs.Nodes ?? [], jobs.Queues ?? []);
    }

    /// <summary>A tool's web service: its job's state, or static / none from its <c>public_html</c>.</summary>
    public static WebserviceSummary SummaryOf(ProxyState state, ToolSite tool, Func<string, bool> hasPublicHtml)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(hasPublicHtml);
        return state.Webservices.TryGetValue(tool.Name, out var site) ? site.Summary : WebserviceStatus.WithoutJob(hasPublicHtml(tool.Home));
    }
}
