using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Toolgrid.Proxy.Hosting;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>
/// toolgridd with the API and the proxy in one process, on a clock that never moves, so that the
/// proxy's poll of the store never comes round: what the API writes reaches the proxy because
/// the write itself tells it.
/// </summary>
public sealed class ProxyRoutesOnChangeTests(ProxyRoutesOnChangeTests.ApiAndProxyFactory factory) : IClassFixture<ProxyRoutesOnChangeTests.ApiAndProxyFactory>
{
    /// <summary>What the proxy's default page for a tool without a page or a web service says.</summary>
    private const string DefaultPage = "This tool has no web page of its own yet";

    [ApiFact]
    public async Task A_tool_created_through_the_API_is_served_by_the_proxy_without_waiting_for_its_poll()
    {
        using var nobody = factory.As(People.Nobody);
        using var proxy = factory.ProxyClient();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // The proxy has read the store once, at its start, before the tool existed.
        var before = await ProxyStatusAsync(proxy, "/fresh/", patience.Token);
        while (before == HttpStatusCode.ServiceUnavailable)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, patience.Token);
            before = await ProxyStatusAsync(proxy, "/fresh/", patience.Token);
        }

        Assert.Equal(HttpStatusCode.NotFound, before);

        using var created = await nobody.PostJsonAsync("/api/v1/tools", new { name = "fresh", description = "Made a moment ago" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // Nothing moves the proxy's clock: only the store's own change signal can bring the tool in.
        while (true)
        {
            using var answer = await proxy.GetAsync(Http.Url("/fresh/"), patience.Token);
            var body = await answer.Content.ReadAsStringAsync(patience.Token);
            if (answer.StatusCode == HttpStatusCode.OK && body.Contains(DefaultPage, StringComparison.Ordinal))
            {
                Assert.Contains("Made a moment ago", body, StringComparison.Ordinal);
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, patience.Token);
        }
    }

    private static async Task<HttpStatusCode> ProxyStatusAsync(HttpClient proxy, string path, CancellationToken cancellationToken)
    {
        using var answer = await proxy.GetAsync(Http.Url(path), cancellationToken);
        return answer.StatusCode;
    }

    /// <summary>The API and the proxy (on a free loopback port), both on a clock that does not move.</summary>
    public sealed class ApiAndProxyFactory : ToolgridApiFactory
    {
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

        protected override string ServerRoles => "api,proxy";

        /// <summary>A client of the proxy that follows no redirects.</summary>
        public HttpClient ProxyClient()
        {
            var address = Services.GetRequiredService<ProxyServer>().Addresses.Single();
            return new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false }) { BaseAddress = new Uri(address) };
        }

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Toolgrid:Proxy:Urls", "http://127.0.0.1:0");
        }

        protected override void ConfigureServices(IServiceCollection services) =>
            services.AddSingleton<TimeProvider>(Clock);
    }
}
