using Toolgrid.Proxy.Routing;
using Toolgrid.Proxy.Status;

namespace Toolgrid.Proxy.Pages;

/// <summary>
/// The status page's tables (<see cref="SitePages.StatusTables"/>) as last written, written again
/// only when what they show has changed: on a site of 3,000 tools they are most of the page's
/// cost (a few hundred KiB of HTML), while what they show changes far less often than the page is
/// read. Each request still builds its report (from the proxy's state and the jobs' summaries, as
/// fresh as before) and compares it, value by value, with the one the tables were written from;
/// the page's first lines, which say when it was made, are written for each request. So a page
/// from here is the page a new render would give, byte for byte.
/// </summary>
public sealed class StatusPageTables
{
    private Written? _last;

    /// <summary>The tables for <paramref name="report"/>, as seen through <paramref name="links"/>.</summary>
    public string For(StatusReport report, SiteLinks links)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(links);

        // The links depend on how the visitor reached the proxy (scheme, host, port).
        var linksKey = links.Root + "\n" + links.ToolPath("", "");
        if (Volatile.Read(ref _last) is { } last && last.LinksKey == linksKey && SameTables(last.Report, report))
        {
            return last.Tables;
        }

        var tables = SitePages.StatusTables(report, links);
        Volatile.Write(ref _last, new Written(report, linksKey, tables));
        return tables;
    }

    /// <summary>Whether the two reports give the same tables: the same tools, nodes and queues, every value equal (when each was made aside).</summary>
    internal static bool SameTables(StatusReport a, StatusReport b) =>
        a.Stale == b.Stale
        && Same(a.Tools, b.Tools, SameTool)
        && Same(a.Nodes, b.Nodes, (x, y) => x.Queues.SequenceEqual(y.Queues, StringComparer.Ordinal) && x with { Queues = y.Queues } == y)
        && Same(a.Queues, b.Queues, (x, y) => x.Nodes.SequenceEqual(y.Nodes, StringComparer.Ordinal) && x with { Nodes = y.Nodes } == y);

    // The records' own equality compares every other member, so a member added to them later is
    // compared too; their lists are compared here by their items (a list the records' equality
    // would compare by reference only makes a needless new render, never a stale one).
    private static bool SameTool(ToolStatus x, ToolStatus y) =>
        x.Maintainers.SequenceEqual(y.Maintainers, StringComparer.Ordinal)
        && x.Jobs.Problems.SequenceEqual(y.Jobs.Problems, StringComparer.Ordinal)
        && x with { Maintainers = y.Maintainers, Jobs = x.Jobs with { Problems = y.Jobs.Problems } } == y;

    private static bool Same<T>(IReadOnlyList<T> a, IReadOnlyList<T> b, Func<T, T, bool> same)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!same(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Written(StatusReport Report, string LinksKey, string Tables);
}
