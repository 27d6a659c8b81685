using System.Net;
using Toolgrid.Proxy.Tests.Support;

namespace Toolgrid.Proxy.Tests.Forwarding;

/// <summary>
/// What becomes of the cookies a tool's web service sets, through the real proxy: in the path
/// form (one origin for every tool) each is kept to the tool's own <c>/TOOL/</c>; in either form
/// a Domain attribute, which would share it with other hosts, is dropped.
/// </summary>
public sealed class CookieScopeTests
{
    [Theory]
    [InlineData("a=1", "a=1; Path=/mytool/")]
    [InlineData("b=2; Path=/; HttpOnly", "b=2; HttpOnly; Path=/mytool/")]
    [InlineData("c=3; path=/admin; Secure", "c=3; Secure; Path=/mytool/admin")]
    [InlineData("d=4; Domain=127.0.0.1; Path=/mytool/x", "d=4; Path=/mytool/x")]
    [InlineData("e=5; Path=/other/", "e=5; Path=/mytool/other/")]
    [InlineData("f=6; Path=/mytool", "f=6; Path=/mytool")]
    [InlineData("g=7; Path=/mytoolx", "g=7; Path=/mytool/mytoolx")]
    [InlineData("h=8; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/", "h=8; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/mytool/")]
    [InlineData("i=9; Path=relative; SameSite=Lax", "i=9; SameSite=Lax; Path=/mytool/")]
    [InlineData("j=10; Path=/a; Path=/b", "j=10; Path=/mytool/b")]
    [InlineData("k=11; Path=", "k=11; Path=/mytool/")]
    [InlineData("l=12;domain=.example.org;path=/", "l=12; Path=/mytool/")]
    public async Task PathForm_KeepsEachCookieToTheTool(string setCookie, string expected)
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var proxy = await ServingAsync(backend);

        using var response = await proxy.GetAsync("/mytool/set-cookie?c=" + Uri.EscapeDataString(setCookie));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([expected], response.Headers.GetValues("Set-Cookie"));
    }

    [Fact]
    public async Task PathForm_EveryCookieOfAnAnswerIsKeptToTheTool()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var proxy = await ServingAsync(backend);

        using var response = await proxy.GetAsync("/mytool/set-cookie?c=one%3D1&c=two%3D2%3B%20Path%3D%2F");

        Assert.Equal(["one=1; Path=/mytool/", "two=2; Path=/mytool/"], response.Headers.GetValues("Set-Cookie"));
    }

    [Theory]
    [InlineData("a=1; Domain=toolgrid.test; Path=/", "a=1; Path=/")]
    [InlineData("b=2; Path=/app; HttpOnly", "b=2; Path=/app; HttpOnly")]
    [InlineData("c=3", "c=3")]
    public async Task HostForm_KeepsThePath_ButNeverADomain(string setCookie, string expected)
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var proxy = await ServingAsync(backend, "toolgrid.test");

        using var response = await proxy.GetAsync("/set-cookie?c=" + Uri.EscapeDataString(setCookie), host: "mytool.toolgrid.test");

        Assert.Equal([expected], response.Headers.GetValues("Set-Cookie"));
    }

    /// <summary>A proxy (in the host form under <paramref name="domain"/>, when given) whose tool mytool is served by <paramref name="backend"/>.</summary>
    private static async Task<ProxyHarness> ServingAsync(TestBackend backend, string? domain = null)
    {
        var proxy = await ProxyHarness.StartAsync(o => o.Domain = domain);
        try
        {
            await proxy.Store.AddToolAsync("mytool");
            await proxy.Store.AddWebserviceAsync("mytool", backend.Port);
            await proxy.WaitForReplicaAsync(domain is null ? "/mytool/" : "/", host: domain is null ? null : "mytool." + domain);
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }
}
