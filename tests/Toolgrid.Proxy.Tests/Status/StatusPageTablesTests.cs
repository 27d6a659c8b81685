using Microsoft.AspNetCore.Http;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Proxy.Pages;
using Toolgrid.Proxy.Routing;
using Toolgrid.Proxy.Status;
using Toolgrid.Proxy.Tests.Support;

namespace Toolgrid.Proxy.Tests.Status;

/// <summary>The status page's tables written once and reused while what they show is unchanged (<see cref="StatusPageTables"/>).</summary>
public sealed class StatusPageTablesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AReportWithTheSameValues_ReusesTheTables_AndThePageIsTheOneANewRenderGives()
    {
        var tables = new StatusPageTables();
        var links = Links();
        var first = Report(Now, "bot: crash-looping");

        // Built again a second later, from new objects with the same values.
        var second = Report(Now.AddSeconds(1), "bot: crash-looping");
        var written = tables.For(first, links);
        var reused = tables.For(second, links);

        Assert.Same(written, reused);
        Assert.Equal(SitePages.Status(second, links), SitePages.Status(second, links, reused));
        Assert.Contains("As of 2026-12-05 12:00:01 UTC", SitePages.Status(second, links, reused), StringComparison.Ordinal);
    }

    [Fact]
    public void AChangeOfAnyValue_WritesTheTablesAgain()
    {
        var tables = new StatusPageTables();
        var links = Links();
        var before = tables.For(Report(Now, "bot: crash-looping"), links);

        var problem = tables.For(Report(Now, "bot: not running"), links);
        Assert.NotSame(before, problem);
        Assert.Contains("bot: not running", problem, StringComparison.Ordinal);

        var webservice = Report(Now, "bot: not running");
        webservice = webservice with { Tools = [webservice.Tools[0] with { Webservice = webservice.Tools[0].Webservice with { Status = "1 of 1 replica ready" } }] };
        var service = tables.For(webservice, links);
        Assert.Contains("1 of 1 replica ready", service, StringComparison.Ordinal);

        var maintainers = webservice with { Tools = [webservice.Tools[0] with { Maintainers = ["alice", "bob"] }] };
        Assert.Contains("alice, bob", tables.For(maintainers, links), StringComparison.Ordinal);

        var another = maintainers with { Tools = [.. maintainers.Tools, maintainers.Tools[0] with { Name = "newtool", Url = "/newtool/" }] };
        Assert.Contains("href=\"/newtool/\"", tables.For(another, links), StringComparison.Ordinal);

        var node = another with { Nodes = [new NodeStatusView("node1", "up", ["default"], 4, 1)] };
        Assert.Contains("1 of 4", tables.For(node, links), StringComparison.Ordinal);
        var busier = node with { Nodes = [new NodeStatusView("node1", "up", ["default"], 4, 2)] };
        Assert.Contains("2 of 4", tables.For(busier, links), StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherWayIn_GetsItsOwnLinks()
    {
        var tables = new StatusPageTables();
        var domain = new ProxyOptions { Domain = "toolgrid.test" };
        var report = Report(Now, "bot: crash-looping");

        var plain = tables.For(report, Links(host: "toolgrid.test", options: domain));
        var tls = tables.For(report, Links(host: "mytool.toolgrid.test", scheme: "https", options: domain));

        Assert.NotSame(plain, tls);
        Assert.Equal(SitePages.StatusTables(report, Links(host: "mytool.toolgrid.test", scheme: "https", options: domain)), tls);
    }

    /// <summary>Through a real proxy on a real store: the page read once (its tables kept), then a change in the store is on it.</summary>
    [Fact]
    public async Task AChangeInTheStore_IsOnThePage_AfterThePageWasRead()
    {
        await using var proxy = await ProxyHarness.StartAsync(o => o.StatusCacheDuration = TimeSpan.Zero);
        await proxy.Store.AddToolAsync("alpha", "First");
        await proxy.State.RefreshAsync(CancellationToken.None);
        var (_, first) = await proxy.GetTextAsync("/");
        var (_, again) = await proxy.GetTextAsync("/");
        Assert.Contains("First", first, StringComparison.Ordinal);
        Assert.Contains("First", again, StringComparison.Ordinal);

        // A new tool is on the page as soon as the proxy has read it.
        await proxy.Store.AddToolAsync("beta", "Second");
        await proxy.State.RefreshAsync(CancellationToken.None);
        var (_, added) = await proxy.GetTextAsync("/");
        Assert.Contains("href=\"/beta/\"", added, StringComparison.Ordinal);

        // A job's failure is on it once the summaries are read again (each visit starts that read).
        await proxy.Store.AddJobAsync("alpha", "nightly", JobKind.Scheduled, RunState.Failed);
        await proxy.WaitForAsync("/", (_, body) => body.Contains("nightly: its last run failed", StringComparison.Ordinal));
    }

    private static SiteLinks Links(string host = "localhost", string scheme = "http", ProxyOptions? options = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        return new SiteLinks(context.Request, options ?? new ProxyOptions());
    }

    /// <summary>A report made of new objects each time (lists included), as each request builds one.</summary>
    private static StatusReport Report(DateTimeOffset at, string problem) => new(
        at,
        Stale: false,
        [
            new ToolStatus(
                "mytool",
                "Counts edits",
                new List<string> { "alice" },
                "/mytool/",
                new WebserviceStatusView("generic", "starting", "0 of 1 replica ready", 1, 0, Up: false, Warning: null),
                new JobsStatusView(2, 1, 1, Up: false, new List<string> { problem }),
                Up: false),
        ],
        new List<NodeStatusView> { new("node1", "up", new List<string> { "default" }, 4, 0) },
        new List<QueueStatusView> { new("default", new List<string> { "node1" }, 4, "up") });
}
