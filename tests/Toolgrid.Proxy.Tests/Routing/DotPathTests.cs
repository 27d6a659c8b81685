using System.Net;
using Microsoft.EntityFrameworkCore;
using Toolgrid.Proxy.Tests.Support;

namespace Toolgrid.Proxy.Tests.Routing;

/// <summary>
/// A web service that serves the tool's whole home (Python's <c>http.server</c>, which serves
/// hidden files as readily as any other), behind the real proxy: paths with a segment that starts
/// with '.' never reach it unless the tool asked for them.
/// </summary>
public sealed class DotPathTests : IAsyncLifetime
{
    private const string Secret = "tg_the-tools-own-secret";
    private const string Key = "-----BEGIN OPENSSH PRIVATE KEY-----";

    private ProxyHarness _proxy = null!;
    private PythonBackend _server = null!;
    private string _home = null!;

    public async Task InitializeAsync()
    {
        _proxy = await ProxyHarness.StartAsync();
        await _proxy.Store.AddToolAsync("site");
        _home = _proxy.Store.HomeOf("site");
        Directory.CreateDirectory(Path.Combine(_home, ".toolgrid"));
        Directory.CreateDirectory(Path.Combine(_home, ".ssh"));
        Directory.CreateDirectory(Path.Combine(_home, ".well-known"));
        await File.WriteAllTextAsync(Path.Combine(_home, ".toolgrid", "token"), Secret);
        await File.WriteAllTextAsync(Path.Combine(_home, ".ssh", "id_rsa"), Key);
        await File.WriteAllTextAsync(Path.Combine(_home, ".well-known", "security.txt"), "Contact: mailto:site@example.org");
        await File.WriteAllTextAsync(Path.Combine(_home, ".well-known", ".hidden"), Secret);
        await File.WriteAllTextAsync(Path.Combine(_home, "public_html", "index.html"), "<h1>the tool's page</h1>");
        _server = await PythonBackend.ServeDirectoryAsync(_home);
        await _proxy.Store.AddWebserviceAsync("site", _server.Port);
        await _proxy.WaitForAsync("/site/public_html/", (status, body) => status == HttpStatusCode.OK && body.Contains("the tool's page", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    [Theory]
    [InlineData("/site/.toolgrid/token")]
    [InlineData("/site/.ssh/id_rsa")]
    [InlineData("/site/%2etoolgrid/token")]
    [InlineData("/site/%2Etoolgrid/token")]
    [InlineData("/site/%2e%73sh/id_rsa")]
    [InlineData("/site/public_html/..%2f.toolgrid/token")]
    [InlineData("/site/public_html/%2e%2e/.toolgrid/token")]
    [InlineData("/site/public_html%2f..%2f.toolgrid%2ftoken")]
    [InlineData("/site/%252etoolgrid/token")]
    [InlineData("/site//.toolgrid/token")]
    [InlineData("/site/.well-known/.hidden")]
    [InlineData("/site/.well-known/%2e%2e/.toolgrid/token")]
    [InlineData("/site/.toolgrid/")]
    public async Task DotPaths_AreNotForwarded(string path)
    {
        using var response = await _proxy.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Directory listing", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DotPaths_AreNotForwarded_InTheHostForm()
    {
        await using var proxy = await ProxyHarness.StartAsync(o => o.Domain = "toolgrid.test");
        await proxy.Store.AddToolAsync("site");
        await proxy.Store.AddWebserviceAsync("site", _server.Port);
        await proxy.WaitForAsync("/public_html/", (status, body) => status == HttpStatusCode.OK && body.Contains("the tool's page", StringComparison.Ordinal), host: "site.toolgrid.test");

        var (status, body) = await proxy.GetTextAsync("/.toolgrid/token", host: "site.toolgrid.test");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DotPaths_WithRawDots_AreNotForwarded()
    {
        // HttpClient would normalise the dots away: send them as they are.
        foreach (var path in new[] { "/site/public_html/../.toolgrid/token", "/site/public_html/..\\.toolgrid\\token", "/site/x/../../site/.toolgrid/token" })
        {
            var answer = await _proxy.GetRawAsync(path);

            Assert.DoesNotContain(Secret, answer, StringComparison.Ordinal);
            Assert.DoesNotContain("HTTP/1.1 200", answer, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DotPaths_AreForwarded_WhenTheToolAllowsThem()
    {
        await _proxy.Store.ChangeAsync(async db => (await db.Jobs.SingleAsync(j => j.ToolName == "site")).AllowDotPaths = true);

        await _proxy.WaitForAsync("/site/.toolgrid/token", (status, body) => status == HttpStatusCode.OK && body.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WellKnown_IsForwarded()
    {
        var (status, body) = await _proxy.GetTextAsync("/site/.well-known/security.txt");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Contact: mailto:site@example.org", body, StringComparison.Ordinal);
    }
}
