using Microsoft.Playwright;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Proxy.Tests.Support;

namespace Toolgrid.Proxy.Tests.Browser;

/// <summary>The proxy's own pages in a real browser: the status page, a tool's default page, the not-found page. Screenshots go to artifacts/screenshots.</summary>
[Collection(UnderLoad.Name)]
public sealed class PagesInABrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string StatusCaption = "Every tool, who maintains it, and whether its web site and its jobs are up.";

    [Fact]
    public async Task StatusPage_ListsToolsWithTheirStates_AndChangesWhenAWebserviceStops()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var backend = await TestBackend.StartAsync("a");
        await proxy.Store.AddToolAsync("alpha", "Serves the alphabet", ["alice", "bob"]);
        await proxy.Store.AddWebserviceAsync("alpha", backend.Port);
        await proxy.Store.AddToolAsync("beta", "Has nothing yet");
        await proxy.Store.AddToolAsync("gamma", "Static pages");
        await File.WriteAllTextAsync(Path.Combine(proxy.Store.HomeOf("gamma"), "public_html", "index.html"), "<h1>gamma</h1>");
        await proxy.WaitForReplicaAsync("/alpha/", "a");

        // The route to alpha can come with a read of the store that was made before beta and gamma existed.
        await proxy.State.RefreshAsync(CancellationToken.None);
        var page = await browser.NewPageAsync();

        var response = await page.GotoAsync(proxy.Address.ToString());

        Assert.Equal(200, response!.Status);
        Assert.Equal("Tools and their status · Toolgrid", await page.TitleAsync());
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        var table = page.GetByRole(AriaRole.Table, new() { Name = StatusCaption });
        Assert.Equal(3, await table.Locator("tbody tr").CountAsync());
        Assert.StartsWith("up", await WebsiteCellAsync(page, "alpha"), StringComparison.Ordinal);
        Assert.Contains("alice, bob", await Row(page, "alpha").InnerTextAsync(), StringComparison.Ordinal);
        Assert.StartsWith("none", await WebsiteCellAsync(page, "beta"), StringComparison.Ordinal);
        Assert.StartsWith("up", await WebsiteCellAsync(page, "gamma"), StringComparison.Ordinal);
        Assert.Contains("static files", await WebsiteCellAsync(page, "gamma"), StringComparison.Ordinal);
        Assert.Contains("Web sites: 2 of 2 up", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "status-page");

        await proxy.Store.StopWebserviceAsync("alpha");
        await proxy.WaitForAsync("/alpha/", (_, body) => body.Contains("has no web page of its own", StringComparison.Ordinal));
        await page.ReloadAsync();

        Assert.StartsWith("none", await WebsiteCellAsync(page, "alpha"), StringComparison.Ordinal);
        Assert.Contains("Web sites: 1 of 1 up", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "status-page-after-stop");

        // Each tool's name leads to its site.
        await page.GetByRole(AriaRole.Link, new() { Name = "gamma", Exact = true }).ClickAsync();
        Assert.EndsWith("/gamma/", page.Url, StringComparison.Ordinal);
        Assert.Equal("gamma", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
    }

    [Fact]
    public async Task StatusPage_SpeaksOfWhatRunsNow_AndOfTheLastRunOfEachScheduledJob()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.Store.AddToolAsync("batch", "Imports once in a while");
        await proxy.Store.AddJobAsync("batch", "import", JobKind.OneOff, RunState.Failed);
        await proxy.Store.AddToolAsync("nightly", "Reports every night");
        await proxy.Store.AddJobAsync("nightly", "report", JobKind.Scheduled, RunState.Succeeded, RunState.Failed);
        await proxy.Store.AddJobAsync("nightly", "bot", JobKind.Continuous, RunState.Running);
        await proxy.State.RefreshAsync(CancellationToken.None);
        var page = await browser.NewPageAsync();

        await page.GotoAsync(proxy.Address.ToString());

        Assert.Equal("up — 1 job: 0 running", await JobsCellAsync(page, "batch"));
        Assert.Equal("failing — 2 jobs: 1 running; report: its last run failed", await JobsCellAsync(page, "nightly"));
        await BrowserFixture.ScreenshotAsync(page, "status-page-jobs");
    }

    [Fact]
    public async Task DefaultPage_SaysWhatTheToolIs_WhoMaintainsIt_AndThatItHasNoWebservice()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.Store.AddToolAsync("quiet", "Counts the quiet edits", ["alice", "carol"]);
        await proxy.State.RefreshAsync(CancellationToken.None);
        var page = await browser.NewPageAsync();

        var response = await page.GotoAsync(new Uri(proxy.Address, "/quiet/").ToString());

        Assert.Equal(200, response!.Status);
        Assert.Equal("quiet", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        var text = await page.Locator("main").InnerTextAsync();
        Assert.Contains("Counts the quiet edits", text, StringComparison.Ordinal);
        Assert.Contains("alice, carol", text, StringComparison.Ordinal);
        Assert.Contains("toolgrid webservice start", text, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "default-page");

        await page.GetByRole(AriaRole.Link, new() { Name = "All tools and their status" }).ClickAsync();
        Assert.Equal(new Uri(proxy.Address, "/").ToString(), page.Url);
    }

    [Fact]
    public async Task NotFoundPage_Is404_AndItsSuggestionLeadsToTheTool()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.Store.AddToolAsync("wikistats", "Statistics of the wikis");
        await proxy.Store.AddToolAsync("unrelated");
        await proxy.State.RefreshAsync(CancellationToken.None);
        var page = await browser.NewPageAsync();

        var response = await page.GotoAsync(new Uri(proxy.Address, "/wikstats/").ToString());

        Assert.Equal(404, response!.Status);
        Assert.Equal("There is no tool named wikstats", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        Assert.DoesNotContain("unrelated", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "not-found-page");

        await page.GetByRole(AriaRole.Link, new() { Name = "wikistats", Exact = true }).ClickAsync();
        Assert.EndsWith("/wikistats/", page.Url, StringComparison.Ordinal);
        Assert.Contains("Statistics of the wikis", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
    }

    private static ILocator Row(IPage page, string tool) =>
        page.Locator("tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = tool, Exact = true }) });

    /// <summary>The "Web site" cell of the tool's row (after its description and maintainers).</summary>
    private static Task<string> WebsiteCellAsync(IPage page, string tool) => Row(page, tool).Locator("td").Nth(2).InnerTextAsync();

    /// <summary>The "Jobs" cell of the tool's row.</summary>
    private static Task<string> JobsCellAsync(IPage page, string tool) => Row(page, tool).Locator("td").Nth(3).InnerTextAsync();
}
