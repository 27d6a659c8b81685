using System.Globalization;
using Toolgrid.Core.Webservices;
using Toolgrid.Proxy.Files;
using Toolgrid.Proxy.Routing;
using Toolgrid.Proxy.Status;

namespace Toolgrid.Proxy.Pages;

/// <summary>The pages the proxy writes itself: the status page, a tool's default page, and the error pages.</summary>
public static class SitePages
{
    private const string Footer = "Served by Toolgrid's front proxy. Also as JSON: add ?format=json to the status page.";

    public static string Status(StatusReport report, SiteLinks links) => Status(report, links, StatusTables(report, links));

    /// <summary>The status page around <paramref name="tables"/>, its tables as <see cref="StatusTables"/> wrote them for <paramref name="report"/>.</summary>
    public static string Status(StatusReport report, SiteLinks links, string tables)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(links);
        var withService = report.Tools.Count(t => !t.Webservice.Type.Equals("none", StringComparison.Ordinal));
        var servicesUp = report.Tools.Count(t => !t.Webservice.Type.Equals("none", StringComparison.Ordinal) && t.Webservice.Up);
        var page = Html.Page("Tools and their status", links.Root);
        page.Paragraph(string.Create(CultureInfo.InvariantCulture, $"{report.Tools.Count} {(report.Tools.Count == 1 ? "tool" : "tools")}. Web sites: {servicesUp} of {withService} up. As of {report.GeneratedAt:yyyy-MM-dd HH:mm:ss} UTC."));
        if (report.Stale)
        {
            page.Paragraph("The platform's store cannot be read right now: this is what was last known.", "note");
        }

        page.Raw(tables);
        return page.End(Footer);
    }

    /// <summary>The status page's tables (every tool, the nodes, the queues): all of it but its first lines, which say when it was made.</summary>
    public static string StatusTables(StatusReport report, SiteLinks links)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(links);
        var page = new Html();
        page.Raw("<table>\n<caption>Every tool, who maintains it, and whether its web site and its jobs are up.</caption>\n<thead><tr><th scope=\"col\">Tool</th><th scope=\"col\">Description</th><th scope=\"col\">Maintainers</th><th scope=\"col\">Web site</th><th scope=\"col\">Jobs</th></tr></thead>\n<tbody>\n");
        foreach (var tool in report.Tools)
        {
            page.Raw("<tr><th scope=\"row\">").Link(links.Tool(tool.Name), tool.Name).Raw("</th><td>").Text(tool.Description.Length == 0 ? "—" : tool.Description)
                .Raw("</td><td>").Text(string.Join(", ", tool.Maintainers)).Raw("</td><td>");
            WebserviceCell(page, tool.Webservice);
            page.Raw("</td><td>");
            JobsCell(page, tool.Jobs);
            page.Raw("</td></tr>\n");
        }

        page.Raw("</tbody>\n</table>\n");
        if (report.Tools.Count == 0)
        {
            page.Paragraph("No tools yet. Create one with: toolgrid tools create NAME", "muted");
        }

        GridTables(page, report);
        return page.ToString();
    }

    /// <summary>The nodes that run the jobs and the queues they serve.</summary>
    private static void GridTables(Html page, StatusReport report)
    {
        if (report.Nodes.Count == 0)
        {
            return;
        }

        page.Raw("<table>\n<caption>The nodes that run the tools' jobs.</caption>\n<thead><tr><th scope=\"col\">Node</th><th scope=\"col\">State</th><th scope=\"col\">Queues</th><th scope=\"col\">Runs</th></tr></thead>\n<tbody>\n");
        foreach (var node in report.Nodes)
        {
            page.Raw("<tr><th scope=\"row\">").Text(node.Name).Raw("</th><td>").State(node.State == "up" ? "up" : node.State == "down" ? "down" : "warning", node.State)
                .Raw("</td><td>").Text(string.Join(", ", node.Queues)).Raw("</td><td>")
                .Text(string.Create(CultureInfo.InvariantCulture, $"{node.Runs} of {node.Slots}")).Raw("</td></tr>\n");
        }

        page.Raw("</tbody>\n</table>\n");
        page.Raw("<table>\n<caption>The queues: a job of a queue with no usable node runs in default.</caption>\n<thead><tr><th scope=\"col\">Queue</th><th scope=\"col\">State</th><th scope=\"col\">Nodes</th><th scope=\"col\">Slots</th></tr></thead>\n<tbody>\n");
        foreach (var queue in report.Queues)
        {
            page.Raw("<tr><th scope=\"row\">").Text(queue.Name).Raw("</th><td>").State(queue.State == "up" ? "up" : "down", queue.State)
                .Raw("</td><td>").Text(queue.Nodes.Count == 0 ? "—" : string.Join(", ", queue.Nodes)).Raw("</td><td>")
                .Text(queue.Slots.ToString(CultureInfo.InvariantCulture)).Raw("</td></tr>\n");
        }

        page.Raw("</tbody>\n</table>\n");
    }

    /// <summary>A tool that has no page of its own: what it is, who maintains it, and how its web service is.</summary>
    public static string Tool(ToolSite tool, WebserviceSummary webservice, JobsSummary jobs, SiteLinks links)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(webservice);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(links);
        var page = Html.Page(tool.Name, links.Root);
        page.Paragraph(tool.Description.Length == 0 ? $"{tool.Name} is a tool hosted on Toolgrid." : tool.Description);
        page.Raw("<dl>\n<dt>Maintainers</dt><dd>").Text(tool.Maintainers.Count == 0 ? "—" : string.Join(", ", tool.Maintainers)).Raw("</dd>\n<dt>Web service</dt><dd>");
        WebserviceCell(page, Views.Of(webservice));
        page.Raw("</dd>\n<dt>Jobs</dt><dd>");
        JobsCell(page, Views.Of(jobs));
        page.Raw("</dd>\n</dl>\n");
        page.Paragraph("This tool has no web page of its own yet. Its maintainers can put one in ~/public_html/index.html, or start a web service with 'toolgrid webservice start'.", "muted");
        page.Raw("<p>").Link(links.Root, "All tools and their status").Raw("</p>\n");
        return page.End(Footer);
    }

    /// <summary>An unknown tool: the nearest names that exist.</summary>
    public static string UnknownTool(string name, bool deleted, IReadOnlyList<string> nearest, SiteLinks links)
    {
        ArgumentNullException.ThrowIfNull(nearest);
        ArgumentNullException.ThrowIfNull(links);
        var page = Html.Page(deleted ? $"The tool {name} was deleted" : $"There is no tool named {name}", links.Root);
        if (deleted)
        {
            page.Paragraph("Its maintainers deleted it; its site is no longer served.");
        }

        if (nearest.Count > 0)
        {
            page.Raw("<p>Did you mean:</p>\n<ul>\n");
            foreach (var other in nearest)
            {
                page.Raw("<li>").Link(links.Tool(other), other).Raw("</li>\n");
            }

            page.Raw("</ul>\n");
        }

        page.Raw("<p>").Link(links.Root, "All tools and their status").Raw("</p>\n");
        return page.End(Footer);
    }

    /// <summary>A path in a tool's site that is not there, or not allowed.</summary>
    public static string Missing(string title, string tool, string detail, SiteLinks links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var page = Html.Page(title, links.Root);
        page.Paragraph(detail);
        page.Raw("<p>").Link(links.Tool(tool), $"{tool}'s home page").Raw(" · ").Link(links.Root, "All tools").Raw("</p>\n");
        return page.End(Footer);
    }

    /// <summary>A tool whose web service gives no answer right now (503 or 502).</summary>
    public static string Unavailable(string tool, string title, string detail, SiteLinks links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var page = Html.Page(title, links.Root);
        page.Paragraph(detail);
        page.Paragraph("Try again in a moment. Its maintainers can see more with 'toolgrid webservice status' and 'toolgrid webservice logs'.", "muted");
        page.Raw("<p>").Link(links.Root, "All tools and their status").Raw("</p>\n");
        return page.End(Footer);
    }

    /// <summary>A directory of a tool's <c>public_html</c> that asked to be listed.</summary>
    public static string Listing(string tool, string path, IReadOnlyList<ListingEntry> entries, SiteLinks links)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(links);
        var page = Html.Page($"{tool}: {path}", links.Root);
        page.Raw("<table>\n<caption>Files in this directory</caption>\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Size</th><th scope=\"col\">Modified (UTC)</th></tr></thead>\n<tbody>\n");
        if (path != "/")
        {
            page.Raw("<tr><td>").Link("../", "../ (up)").Raw("</td><td></td><td></td></tr>\n");
        }

        foreach (var entry in entries)
        {
            var name = entry.IsDirectory ? entry.Name + "/" : entry.Name;
            page.Raw("<tr><td>").Link(Uri.EscapeDataString(entry.Name) + (entry.IsDirectory ? "/" : ""), name).Raw("</td><td>")
                .Text(entry.Size is { } size ? size.ToString("N0", CultureInfo.InvariantCulture) : "").Raw("</td><td>")
                .Text(entry.Modified is { } modified ? modified.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "").Raw("</td></tr>\n");
        }

        page.Raw("</tbody>\n</table>\n");
        return page.End(Footer);
    }

    private static void WebserviceCell(Html page, WebserviceStatusView webservice)
    {
        if (webservice.Type == "none")
        {
            page.State("none", "none");
            return;
        }

        var (css, word) = webservice.Up ? ("up", "up") : webservice.State == WebserviceSummary.Starting ? ("starting", "starting") : ("down", "down");
        page.State(css, word).Raw(" — ").Text(webservice.Type == "static" ? "static files (public_html)" : $"{webservice.Type}: {webservice.Status}");
        if (webservice.Warning is { } warning)
        {
            page.Raw("<br>").State("warning", "warning").Raw(" ").Text(warning);
        }
    }

    private static void JobsCell(Html page, JobsStatusView jobs)
    {
        if (jobs.Total == 0)
        {
            page.State("none", "none");
            return;
        }

        page.State(jobs.Up ? "up" : "down", jobs.Up ? "up" : "failing").Raw(" — ").Text(new JobsSummary(jobs.Total, jobs.Running, jobs.Problems).Describe());
    }
}
