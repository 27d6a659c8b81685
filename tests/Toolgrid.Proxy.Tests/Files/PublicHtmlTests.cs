using System.Net;
using Toolgrid.Proxy.Tests.Support;

namespace Toolgrid.Proxy.Tests.Files;

/// <summary>A tool's public_html through the proxy: what is served, and what never is.</summary>
public sealed class PublicHtmlTests : IAsyncLifetime
{
    private ProxyHarness _proxy = null!;
    private string _html = null!;
    private string _other = null!;

    public async Task InitializeAsync()
    {
        _proxy = await ProxyHarness.StartAsync();
        await _proxy.Store.AddToolAsync("site", "A static site");
        await _proxy.Store.AddToolAsync("other");
        _html = Path.Combine(_proxy.Store.HomeOf("site"), "public_html");
        _other = _proxy.Store.HomeOf("other");
        await File.WriteAllTextAsync(Path.Combine(_html, "index.html"), "<h1>site's own page</h1>");
        await File.WriteAllTextAsync(Path.Combine(_html, "style.css"), "body { color: red }");
        await File.WriteAllTextAsync(Path.Combine(_html, "data.json"), "{}");
        await File.WriteAllTextAsync(Path.Combine(_html, "notes.unknownext"), "?");
        await File.WriteAllTextAsync(Path.Combine(_proxy.Store.HomeOf("site"), "secret.txt"), "the tool's own secret, outside public_html");
        await File.WriteAllTextAsync(Path.Combine(_other, "private.txt"), "another tool's file");
        Directory.CreateDirectory(Path.Combine(_html, "docs"));
        await File.WriteAllTextAsync(Path.Combine(_html, "docs", "a.txt"), "a");
        Directory.CreateDirectory(Path.Combine(_html, "listed", "sub"));
        await File.WriteAllTextAsync(Path.Combine(_html, "listed", ".listing"), "");
        await File.WriteAllTextAsync(Path.Combine(_html, "listed", "report.txt"), "report");
        await File.WriteAllTextAsync(Path.Combine(_html, "listed", ".hidden"), "hidden");
        await File.WriteAllTextAsync(Path.Combine(_html, ".htaccess"), "Deny from all");
        File.CreateSymbolicLink(Path.Combine(_html, "etc-passwd"), "/etc/passwd");
        File.CreateSymbolicLink(Path.Combine(_html, "etc"), "/etc");
        File.CreateSymbolicLink(Path.Combine(_html, "neighbour"), _other);
        File.CreateSymbolicLink(Path.Combine(_html, "neighbour-file"), Path.Combine(_other, "private.txt"));
        File.CreateSymbolicLink(Path.Combine(_html, "in-home"), Path.Combine(_proxy.Store.HomeOf("site"), "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(_html, "relative-out"), "../../other/private.txt");
        var home = _proxy.Store.HomeOf("site");
        Directory.CreateDirectory(Path.Combine(home, ".toolgrid"));
        Directory.CreateDirectory(Path.Combine(home, ".ssh"));
        Directory.CreateDirectory(Path.Combine(home, "data", ".cache"));
        await File.WriteAllTextAsync(Path.Combine(home, ".toolgrid", "token"), "tg_the-tools-own-token");
        await File.WriteAllTextAsync(Path.Combine(home, ".ssh", "id_rsa"), "-----BEGIN OPENSSH PRIVATE KEY-----");
        await File.WriteAllTextAsync(Path.Combine(home, "data", "table.csv"), "a,b");
        await File.WriteAllTextAsync(Path.Combine(home, "data", ".cache", "state"), "tg_the-tools-own-token");
        File.CreateSymbolicLink(Path.Combine(_html, "t"), "../.toolgrid/token");
        File.CreateSymbolicLink(Path.Combine(_html, "key"), "../.ssh/id_rsa");
        File.CreateSymbolicLink(Path.Combine(_html, "dotdir"), "../.toolgrid");
        File.CreateSymbolicLink(Path.Combine(_html, "data"), "../data");
        File.CreateSymbolicLink(Path.Combine(_html, "cached"), "../data/.cache/state");
        File.CreateSymbolicLink(Path.Combine(home, "alias"), ".toolgrid");
        File.CreateSymbolicLink(Path.Combine(_html, "via-alias"), "../alias/token");
        Directory.CreateDirectory(Path.Combine(_html, "secret-index"));
        File.CreateSymbolicLink(Path.Combine(_html, "secret-index", "index.html"), "../../.toolgrid/token");
        var unreadable = Path.Combine(_html, "unreadable.txt");
        await File.WriteAllTextAsync(unreadable, "only root");
        File.SetUnixFileMode(unreadable, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // Wait for the tool itself: its own page at its root (the status page says "Web sites" before it is read).
        await _proxy.WaitForAsync("/site/", (status, body) => status == HttpStatusCode.OK && body.Contains("site's own page", StringComparison.Ordinal));
    }

    public async Task DisposeAsync() => await _proxy.DisposeAsync();

    [Theory]
    [InlineData("/site/", "text/html", "site's own page")]
    [InlineData("/site/style.css", "text/css", "color: red")]
    [InlineData("/site/data.json", "application/json", "{}")]
    [InlineData("/site/notes.unknownext", "application/octet-stream", "?")]
    [InlineData("/site/docs/a.txt", "text/plain", "a")]
    [InlineData("/site/in-home", "application/octet-stream", "the tool's own secret")]
    [InlineData("/site/data/table.csv", "text/csv", "a,b")]
    public async Task Files_AreServedWithTheirContentType(string path, string type, string content)
    {
        using var response = await _proxy.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("/site/../other/private.txt")]
    [InlineData("/site/%2e%2e/other/private.txt")]
    [InlineData("/site/%2e%2e%2fother%2fprivate.txt")]
    [InlineData("/site/..%2f..%2fother%2fprivate.txt")]
    [InlineData("/site/docs/..%2f..%2f..%2fother/private.txt")]
    [InlineData("/site/%252e%252e/%252e%252e/other/private.txt")]
    [InlineData("/site/..\\..\\other\\private.txt")]
    [InlineData("/site/etc-passwd")]
    [InlineData("/site/etc/passwd")]
    [InlineData("/site/etc/")]
    [InlineData("/site/neighbour/private.txt")]
    [InlineData("/site/neighbour-file")]
    [InlineData("/site/relative-out")]
    [InlineData("/site/.htaccess")]
    [InlineData("/site/listed/.hidden")]
    [InlineData("/site/listed/.listing")]
    public async Task NothingOutsideTheHome_NorHidden_IsEverServed(string path)
    {
        using var response = await _proxy.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("another tool's file", body, StringComparison.Ordinal);
        Assert.DoesNotContain("root:x:0:0", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Deny from all", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/site/t", HttpStatusCode.NotFound)]
    [InlineData("/site/key", HttpStatusCode.NotFound)]
    [InlineData("/site/dotdir/token", HttpStatusCode.NotFound)]
    [InlineData("/site/cached", HttpStatusCode.NotFound)]
    [InlineData("/site/data/.cache/state", HttpStatusCode.NotFound)]
    [InlineData("/site/via-alias", HttpStatusCode.NotFound)]
    [InlineData("/site/secret-index/", HttpStatusCode.Forbidden)]
    public async Task LinkIntoAHiddenDirectoryOfTheHome_IsNotFound(string path, HttpStatusCode expected)
    {
        using var response = await _proxy.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain("tg_the-tools-own-token", body, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TraversalWithRawDots_NeverLeavesTheTool()
    {
        var answer = await _proxy.GetRawAsync("/site/../../other/private.txt");

        Assert.DoesNotContain("another tool's file", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP/1.1 200", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileTheToolsUserCannotRead_IsForbidden()
    {
        using var response = await _proxy.GetAsync("/site/unreadable.txt");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("only root", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Directory_WithoutIndexOrListing_IsNotListed()
    {
        using var response = await _proxy.GetAsync("/site/docs/");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("a.txt", body, StringComparison.Ordinal);
        Assert.Contains(".listing", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Directory_ThatAsksForIt_IsListed_WithoutHiddenNames()
    {
        using var response = await _proxy.GetAsync("/site/listed/");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("report.txt", body, StringComparison.Ordinal);
        Assert.Contains("sub/", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".hidden", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".listing\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Directory_WithoutSlash_RedirectsToIt()
    {
        using var response = await _proxy.GetAsync("/site/listed?x=1");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/site/listed/?x=1", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Missing_IsA404ThatNamesTheTool()
    {
        var (status, body) = await _proxy.GetTextAsync("/site/nothing-here.html");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("site has nothing at /nothing-here.html", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConditionalAndRangeRequests_Work()
    {
        using var first = await _proxy.GetAsync("/site/style.css");
        var etag = first.Headers.ETag!.Tag;
        using var again = await _proxy.GetAsync("/site/style.css", headers: new Dictionary<string, string> { ["If-None-Match"] = etag });
        using var range = await _proxy.GetAsync("/site/style.css", headers: new Dictionary<string, string> { ["Range"] = "bytes=0-3" });

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal("body", await range.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Fifo_DoesNotHangTheProxy()
    {
        var fifo = Path.Combine(_html, "pipe.html");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
        }

        using var response = await _proxy.GetAsync("/site/pipe.html").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
