using System.Net;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Webservices;
using Toolgrid.Proxy.Nginx;
using Toolgrid.Proxy.Routing;

namespace Toolgrid.Proxy.Tests.Nginx;

public sealed class NginxConfigTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";

    private static readonly NginxSite Site = new(
        [new IPEndPoint(IPAddress.Loopback, 8480), new IPEndPoint(IPAddress.IPv6Loopback, 8480)],
        new IPEndPoint(IPAddress.Loopback, 40001),
        Secret,
        "/var/lib/toolgrid/state/nginx",
        "www-data",
        "auto");

    internal static ProxyState State(params (string Tool, Replica[] Replicas)[] sites)
    {
        var webservices = sites.ToDictionary(
            s => s.Tool,
            s => new WebserviceSite(
                new Job { ToolName = s.Tool, Name = "webservice", Command = "./serve", CreatedBy = "alice", Webservice = WebserviceType.Generic },
                [],
                s.Replicas,
                new WebserviceSummary("generic", WebserviceSummary.Running, "running", s.Replicas.Length, s.Replicas.Length)),
            StringComparer.Ordinal);
        return new ProxyState(new Dictionary<string, ToolSite>(StringComparer.Ordinal), webservices, DateTimeOffset.UnixEpoch);
    }

    private static string Render(ProxyState state) => NginxConfig.Render(state, Site, new ProxyOptions());

    [Fact]
    public void EachToolWithReplicas_GetsAnUpstreamWithKeepalive_AndALocationWithThePrefixTakenOff()
    {
        var text = Render(State(
            ("mytool", [new Replica(7, "node-1", "127.0.0.1", 31001), new Replica(3, "node-2", "10.0.0.2", 31002)]),
            ("other", [new Replica(9, "node-1", "fd00::5", 31003)]),
            ("idle", [])));

        Assert.Contains("upstream tool.mytool {\n        server 10.0.0.2:31002 max_fails=1 fail_timeout=10s;\n        server 127.0.0.1:31001 max_fails=1 fail_timeout=10s;\n        keepalive 64;\n    }", text, StringComparison.Ordinal);
        Assert.Contains("server [fd00::5]:31003 ", text, StringComparison.Ordinal);
        Assert.Contains("location /mytool/ {", text, StringComparison.Ordinal);
        Assert.Contains("proxy_pass http://tool.mytool/;", text, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header X-Forwarded-Prefix /mytool;", text, StringComparison.Ordinal);
        Assert.Contains("proxy_cookie_path ~^(.*)$ /mytool/;", text, StringComparison.Ordinal);
        Assert.Contains("proxy_cookie_domain ~.+ \"\";", text, StringComparison.Ordinal);
        Assert.DoesNotContain("idle", text, StringComparison.Ordinal);
        Assert.Contains("listen 127.0.0.1:8480 backlog=4096;", text, StringComparison.Ordinal);
        Assert.Contains("listen [::1]:8480 backlog=4096;", text, StringComparison.Ordinal);
        Assert.Contains("upstream toolgridd.site {\n        server 127.0.0.1:40001;", text, StringComparison.Ordinal);
        Assert.Contains("pid /var/lib/toolgrid/state/nginx/nginx.pid;", text, StringComparison.Ordinal);
        Assert.Contains("user www-data;", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryLocation_SetsTheForwardedHeaders_AndRemovesTheSpoofableOnes_AndOnlyToolgriddGetsTheSecret()
    {
        var text = Render(State(("mytool", [new Replica(1, "node-1", "127.0.0.1", 31001)])));
        var locations = text.Split("location ", StringSplitOptions.None).Skip(1).ToList();

        // location /, @toolgridd, /mytool/ and its hidden-path location inside.
        Assert.Equal(4, locations.Count);
        foreach (var location in locations)
        {
            // Its own directives: up to its end, or to the location within it.
            var end = location.IndexOf('}', StringComparison.Ordinal);
            var own = end < 0 ? location : location[..end];
            if (own.Contains("proxy_pass", StringComparison.Ordinal))
            {
                Assert.Contains("proxy_set_header X-Forwarded-For $remote_addr;", own, StringComparison.Ordinal);
                Assert.Contains("proxy_set_header Host $http_host;", own, StringComparison.Ordinal);
                Assert.Contains("proxy_set_header Forwarded \"\";", own, StringComparison.Ordinal);
                Assert.Contains("proxy_set_header X-Real-IP \"\";", own, StringComparison.Ordinal);
                var toSite = own.Contains("http://toolgridd.site", StringComparison.Ordinal);
                Assert.Equal(toSite, own.Contains(Secret, StringComparison.Ordinal));
            }
        }

        Assert.Contains("location ~ \"/\\.|%|\\x5c\" {\n                proxy_pass http://toolgridd.site;", text, StringComparison.Ordinal);
        Assert.Contains("error_page 502 = @toolgridd;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("504", text, StringComparison.Ordinal);
        Assert.Contains("location @toolgridd {", text, StringComparison.Ordinal);
        Assert.Contains("if ($request_method !~ ^(GET|HEAD|OPTIONS)$ ) {\n                return 502;", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WhatTheStoreHolds_NeverReachesTheTextUnchecked()
    {
        var names = new Dictionary<string, IReadOnlyList<IPAddress>> { ["node-2.example.org"] = [IPAddress.Parse("10.0.0.7")] };
        var text = NginxConfig.Render(State(
            ("evil;}\nserver{", [new Replica(1, "node-1", "127.0.0.1", 31001)]),
            ("badaddress", [new Replica(2, "node-1", "127.0.0.1; include /etc/shadow", 31002), new Replica(3, "node-1", "$host", 31003)]),
            ("badport", [new Replica(4, "node-1", "127.0.0.1", 0), new Replica(5, "node-1", "127.0.0.1", 70000)]),
            ("mixed", [new Replica(6, "node-1", "bad name", 31004), new Replica(7, "node-1", "node-2.example.org", 31005)])),
            Site,
            new ProxyOptions(),
            names);

        Assert.DoesNotContain("evil", text, StringComparison.Ordinal);
        Assert.DoesNotContain("badaddress", text, StringComparison.Ordinal);
        Assert.DoesNotContain("shadow", text, StringComparison.Ordinal);
        Assert.DoesNotContain("badport", text, StringComparison.Ordinal);
        Assert.DoesNotContain("bad name", text, StringComparison.Ordinal);
        Assert.Contains("upstream tool.mixed {\n        server 10.0.0.7:31005 ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("$host", text, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeNames_AreWrittenAsTheirAddresses_AndAReplicaWhoseNameHasNone_IsLeftOut()
    {
        var names = new Dictionary<string, IReadOnlyList<IPAddress>>(StringComparer.OrdinalIgnoreCase)
        {
            ["node-2"] = [IPAddress.Parse("10.0.0.2"), IPAddress.Parse("fd00::2")],
            ["node-3"] = [IPAddress.Parse("fe80::3%2")],
        };
        var text = NginxConfig.Render(
            State(
                ("mytool", [new Replica(1, "node-2", "node-2", 31001), new Replica(2, "gone", "gone.invalid", 31002)]),
                ("lost", [new Replica(3, "gone", "gone.invalid", 31003)]),
                ("zoned", [new Replica(4, "node-3", "node-3", 31004)])),
            Site,
            new ProxyOptions(),
            names);

        Assert.Contains("upstream tool.mytool {\n        server 10.0.0.2:31001 max_fails=1 fail_timeout=10s;\n        server [fd00::2]:31001 max_fails=1 fail_timeout=10s;\n        keepalive 64;\n    }", text, StringComparison.Ordinal);
        Assert.DoesNotContain("gone", text, StringComparison.Ordinal);
        Assert.DoesNotContain("node-", text, StringComparison.Ordinal);

        // A tool left with no replica nginx can reach has no route in nginx: toolgridd answers it.
        Assert.DoesNotContain("lost", text, StringComparison.Ordinal);
        Assert.DoesNotContain("zoned", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/var/lib/nginx dir")]
    [InlineData("relative/nginx")]
    [InlineData("/var/lib/x;include")]
    public void ADirectoryThatCannotBeWritten_IsRefused(string directory)
    {
        var error = Assert.Throws<ArgumentException>(() => NginxConfig.Render(State(), Site with { Directory = directory }, new ProxyOptions()));
        Assert.Contains("nginx directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EqualRoutes_GiveEqualText_AndAChangedReplicaChangesIt()
    {
        var a = Render(State(("mytool", [new Replica(1, "node-1", "127.0.0.1", 31001)])));
        var b = Render(State(("mytool", [new Replica(1, "node-1", "127.0.0.1", 31001)])));
        var c = Render(State(("mytool", [new Replica(2, "node-1", "127.0.0.1", 31002)])));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void TheSettings_AreChecked_WithAClearError()
    {
        var failures = new List<string>();
        NginxChecks.Validate(new ProxyOptions { DataPlane = "haproxy" }, failures);
        Assert.Contains(failures, f => f.Contains("DataPlane must be 'yarp'", StringComparison.Ordinal));

        failures.Clear();
        NginxChecks.Validate(new ProxyOptions { DataPlane = "nginx", NginxPath = "/nonexistent/nginx", Domain = "example.org", NginxUser = "Bad User" }, failures);
        Assert.Contains(failures, f => f.Contains("no nginx binary at Toolgrid:Proxy:NginxPath '/nonexistent/nginx': install it (apt-get install nginx-light)", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("leave Toolgrid:Proxy:Domain unset", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("NginxUser must be a Unix user name", StringComparison.Ordinal));

        failures.Clear();
        NginxChecks.Validate(new ProxyOptions(), failures);
        Assert.Empty(failures);
    }
}
