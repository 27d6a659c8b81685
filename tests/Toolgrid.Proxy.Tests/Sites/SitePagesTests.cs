using System.Net;
using Toolgrid.Proxy.Tests.Support;

namespace Toolgrid.Proxy.Tests.Sites;

/// <summary>The pages the proxy writes itself: default page, not-found page with suggestions, status page.</summary>
public sealed class SitePagesTests
{
    [Fact]
    public async Task ToolWithoutPageOrService_GetsADefaultPage()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.Store.AddToolAsync("quiet", "Counts the quiet edits", ["alice", "carol"]);
        await proxy.State.RefreshAsync(CancellationToken.None);

        var (status, body) = await proxy.GetTextAsync("/quiet/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<h1>quiet</h1>", body, StringComparison.Ordinal);
        Assert.Contains("Counts the quiet edits", body, StringComparison.Ordinal);
        Assert.Contains("alice, carol", body, StringComparison.Ordinal);
        Assert.Contains("none", body, StringComparison.Ordinal);
        Assert.Contains("lang=\"en\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTool_Is404_WithTheNearestNames()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.Store.AddToolAsync("wikistats");
        await proxy.Store.AddToolAsync("wikistat2");
        await proxy.Store.AddToolAsync("unrelated");
        await proxy.State.RefreshAsync(CancellationToken.None);

        var (status, body) = await proxy.GetTextAsync("/wikstats/");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("There is no tool named wikstats", body, StringComparison.Ordinal);
        Assert.Contains("href=\"/wikistats/\"", body, StringComparison.Ordinal);
        Assert.Contains("href=\"/wikistat2/\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("unrelated", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownToolHost_Is404_WithTheNearestNamesAsHosts()
    {
        await using var proxy = await ProxyHarness.StartAsync(o => o.Domain = "toolgrid.test");
        await proxy.Store.AddToolAsync("wikistats");
        await proxy.State.RefreshAsync(CancellationToken.None);

        // The links keep the port the client reached the proxy on, as its Host header says.
        var (status, body) = await proxy.GetTextAsync("/", host: $"wikstats.toolgrid.test:{proxy.Port}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains($"http://wikistats.toolgrid.test:{proxy.Port}/", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaliciousNames_AreEncodedInPages()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.State.RefreshAsync(CancellationToken.None);

        var (status, body) = await proxy.GetTextAsync("/%3Cscript%3Ealert(1)%3C%2Fscript%3E/");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusPage_IsHtmlByDefault_JsonWhenAsked()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.Store.AddToolAsync("alpha", "First");
        await proxy.State.RefreshAsync(CancellationToken.None);

        using var html = await proxy.GetAsync("/", headers: new Dictionary<string, string> { ["Accept"] = "text/html,application/xhtml+xml,*/*;q=0.8" });
        using var json = await proxy.GetAsync("/?format=json");
        using var named = await proxy.GetAsync("/_toolgrid/status.json");
        using var health = await proxy.GetAsync("/_toolgrid/healthz");

        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<caption>", await html.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/json", named.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ok\n", await health.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StaticSite_WithAnIndex_IsUpOnTheStatusPage()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.Store.AddToolAsync("static");
        await File.WriteAllTextAsync(Path.Combine(proxy.Store.HomeOf("static"), "public_html", "index.html"), "hi");
        await proxy.State.RefreshAsync(CancellationToken.None);

        var (_, body) = await proxy.GetTextAsync("/?format=json");

        Assert.Contains("\"type\": \"static\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostToAStaticSite_IsRefused()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.Store.AddToolAsync("static");
        await proxy.State.RefreshAsync(CancellationToken.None);

        using var client = proxy.Client();
        using var response = await client.PostAsync("/static/", new StringContent("x"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task StatusPage_AScheduledJobWhoseLastRunFailed_StaysFailingWhileItsNextRunIsHeldForItsDueTime()
    {
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.Store.AddToolAsync("cron");
        var now = TimeProvider.System.GetUtcNow();
        await proxy.Store.ChangeAsync(async db =>
        {
            var job = new Core.Jobs.Job
            {
                ToolName = "cron",
                Name = "digest",
                Kind = Core.Jobs.JobKind.Scheduled,
                Schedule = "0 * * * *",
                Command = "./digest.sh",
                CreatedBy = "alice",
                CreatedAt = now.AddHours(-2),
                UpdatedAt = now.AddHours(-2),
            };
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
            Core.Runs.Run Run(Contracts.Runs.RunState state, DateTimeOffset? notBefore) => new()
            {
                JobId = job.Id,
                ToolName = "cron",
                JobName = "digest",
                Command = job.Command,
                State = state,
                Reason = state == Contracts.Runs.RunState.Failed ? Contracts.Runs.RunReason.Exited : Contracts.Runs.RunReason.Placed,
                Node = "node1",
                SubmittedAt = now.AddMinutes(-60),
                DueAt = notBefore,
                NotBefore = notBefore,
                ExitCode = state == Contracts.Runs.RunState.Failed ? 1 : null,
            };
            db.Runs.Add(Run(Contracts.Runs.RunState.Failed, null));
            await db.SaveChangesAsync();
            db.Runs.Add(Run(Contracts.Runs.RunState.Starting, now.AddSeconds(20)));
        });
        await proxy.State.RefreshAsync(CancellationToken.None);

        var (_, body) = await proxy.GetTextAsync("/_toolgrid/status.json");

        Assert.Contains("\"failing\": 1", body, StringComparison.Ordinal);
    }
}

