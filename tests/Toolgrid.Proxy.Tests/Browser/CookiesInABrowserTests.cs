using System.Text.Json;
using Microsoft.Playwright;
using Toolgrid.Proxy.Tests.Support;

namespace Toolgrid.Proxy.Tests.Browser;

/// <summary>Two tools on one origin (the path form) in a real browser: a cookie one sets for <c>/</c> never reaches the other.</summary>
public sealed class CookiesInABrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task CookieSetForTheWholeSite_ReachesOnlyTheToolThatSetIt()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await using var first = await TestBackend.StartAsync("first");
        await using var second = await TestBackend.StartAsync("second");
        await proxy.Store.AddToolAsync("alpha");
        await proxy.Store.AddToolAsync("beta");
        await proxy.Store.AddWebserviceAsync("alpha", first.Port);
        await proxy.Store.AddWebserviceAsync("beta", second.Port);
        await proxy.WaitForReplicaAsync("/alpha/");
        await proxy.WaitForReplicaAsync("/beta/");
        var page = await browser.NewPageAsync();

        var set = await page.GotoAsync(new Uri(proxy.Address, "/alpha/set-cookie?c=" + Uri.EscapeDataString("session=alpha-secret; Path=/; HttpOnly")).ToString());
        var atBeta = await CookieSentAsync(page, new Uri(proxy.Address, "/beta/"));
        var atAlpha = await CookieSentAsync(page, new Uri(proxy.Address, "/alpha/deeper/page"));
        var stored = await page.Context.CookiesAsync();

        Assert.Equal(200, set!.Status);
        Assert.Null(atBeta);
        Assert.Equal("session=alpha-secret", atAlpha);
        Assert.Equal("/alpha/", Assert.Single(stored).Path);
    }

    /// <summary>The Cookie header the browser sent to the tool's backend for <paramref name="url"/> (the backend echoes what it got).</summary>
    private static async Task<string?> CookieSentAsync(IPage page, Uri url)
    {
        var response = await page.GotoAsync(url.ToString());
        Assert.Equal(200, response!.Status);
        using var echo = JsonDocument.Parse(await response.TextAsync());
        return echo.RootElement.GetProperty("headers").TryGetProperty("cookie", out var cookie) ? cookie.GetString() : null;
    }
}
