using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// nginx as the proxy's data plane in a real toolgridd: a real web service reached through nginx
/// by the route toolgridd wrote, route changes (stop, start) reaching nginx, everything else
/// answered by toolgridd behind it, and nginx started again when it dies.
/// </summary>
[Collection(NginxShared.Name)]
public sealed partial class NginxDataPlaneTests(NginxPlatform nginx)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private const string ServedByTheWebservice = "Directory listing for /";

    private const string DefaultPage = "This tool has no web page of its own yet";

    private readonly ProxyPages _proxy = new(nginx.Platform);

    private Platform Platform => nginx.Platform;

    private string ConfigPath => Path.Combine(nginx.Directory, "nginx.conf");

    [NginxFact]
    public async Task A_web_service_is_reached_through_nginx_and_its_route_changes_reach_nginx()
    {
        const string tool = "ws-nginx";
        await Platform.MustAsync("alice", "tools", "create", tool);
        var site = $"/{tool}/";
        try
        {
            // nginx is in front (it answers as nginx), and toolgridd behind it serves the default page.
            await _proxy.WaitForAsync(site, (status, body) => status == HttpStatusCode.OK && body.Contains(DefaultPage, StringComparison.Ordinal), Patience);
            using (var client = _proxy.Client())
            using (var answer = await client.GetAsync(site))
            {
                Assert.Equal("nginx", answer.Headers.Server.ToString());
            }

            Assert.DoesNotContain($"location {site}", await File.ReadAllTextAsync(ConfigPath), StringComparison.Ordinal);

            // The configuration and its directory are root's, out of every tool's reach.
            Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(ConfigPath));
            Assert.Equal((UnixFileMode)0b111_001_001, File.GetUnixFileMode(nginx.Directory));

            await File.WriteAllTextAsync(Path.Combine(Platform.HomeOf(tool), "public_html", ".hidden"), "not for the web");
            await StartAsync(tool);

            // Hidden paths go to toolgridd, which keeps them from the web service as it always does.
            Assert.Equal(HttpStatusCode.NotFound, (await _proxy.GetAsync(site + "public_html/.hidden")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await _proxy.GetAsync(site + "public_html/%2ehidden")).Status);

            // Stopped: the route leaves nginx, and toolgridd's default page is back.
            await Platform.MustAsync("alice", "webservice", "stop", "--tool", tool);
            await _proxy.WaitForAsync(site, (status, body) => status == HttpStatusCode.OK && body.Contains(DefaultPage, StringComparison.Ordinal), Patience);
            await WaitForConfigAsync(text => !text.Contains($"location {site}", StringComparison.Ordinal));

            // Started again: a new replica, a new route in nginx.
            await StartAsync(tool);

            // nginx killed: toolgridd starts it again, with the routes of now.
            var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(nginx.Directory, "nginx.pid"))).Trim(), CultureInfo.InvariantCulture);
            await Command.MustAsync("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture));
            await _proxy.WaitForAsync(site, (status, body) => status == HttpStatusCode.OK && body.Contains(ServedByTheWebservice, StringComparison.Ordinal) && NewMaster(pid), Patience);
            Assert.Contains("Proxy: nginx (pid", Platform.Log, StringComparison.Ordinal);
        }
        finally
        {
            await Platform.CliAsync("alice", "webservice", "stop", "--tool", tool);
        }
    }

    /// <summary>Starts the tool's web service and waits until nginx has its route and answers with it; returns the replica's port.</summary>
    private async Task<int> StartAsync(string tool)
    {
        var site = $"/{tool}/";
        await Platform.MustAsync("alice", "webservice", "start", "--tool", tool, "--", "python3", "-m", "http.server", "--bind", "$HOST", "$PORT");
        await _proxy.WaitForAsync(site, (status, body) => status == HttpStatusCode.OK && body.Contains(ServedByTheWebservice, StringComparison.Ordinal), Patience);
        var config = await WaitForConfigAsync(text => text.Contains($"location {site}", StringComparison.Ordinal));

        // The replica named in nginx's upstream is the web service itself.
        var server = Upstream().Match(config);
        Assert.True(server.Success, config);
        Assert.Equal(tool, server.Groups["tool"].Value);
        var port = int.Parse(server.Groups["port"].Value, CultureInfo.InvariantCulture);
        using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Assert.Contains(ServedByTheWebservice, await direct.GetStringAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/")), StringComparison.Ordinal);
        return port;
    }

    private async Task<string> WaitForConfigAsync(Func<string, bool> check)
    {
        var text = "";
        try
        {
            await Platform.EventuallyAsync(async () => check(text = await File.ReadAllTextAsync(ConfigPath)), "nginx's configuration to change as expected");
            return text;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; it reads:\n{text}\n{Platform.Log}", e);
        }
    }

    private bool NewMaster(int old) =>
        File.Exists(Path.Combine(nginx.Directory, "nginx.pid"))
        && File.ReadAllText(Path.Combine(nginx.Directory, "nginx.pid")).Trim() != old.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("upstream tool\\.(?<tool>[a-z0-9-]+) \\{\\n +server 127\\.0\\.0\\.1:(?<port>[0-9]+) ")]
    private static partial Regex Upstream();
}
