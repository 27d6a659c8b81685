using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolgrid.Proxy.Hosting;
using Toolgrid.Proxy.Routing;

namespace Toolgrid.Proxy.Tests.Support;

/// <summary>The real proxy (its own Kestrel, on a free loopback port) over a <see cref="TestStore"/>.</summary>
public sealed class ProxyHarness : IAsyncDisposable
{
    /// <summary>How long a wait may take before it counts as a hang (never a promise of how long it takes).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly WebApplication _app;

    private ProxyHarness(TestStore store, WebApplication app, ProxyOptions options)
    {
        Store = store;
        _app = app;
        Options = options;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    public TestStore Store { get; }

    public ProxyOptions Options { get; }

    /// <summary>The proxy's root, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    public int Port => Address.Port;

    public ProxyStateSource State => _app.Services.GetRequiredService<ProxyStateSource>();

    public static async Task<ProxyHarness> StartAsync(Action<ProxyOptions>? configure = null, ILoggerFactory? loggers = null)
    {
        var store = await TestStore.CreateAsync();
        try
        {
            var options = new ProxyOptions
            {
                Urls = "http://127.0.0.1:0",
                HealthCheckInterval = TimeSpan.FromSeconds(1),

                // A probe that is slow on a busy machine must not take a healthy replica out of the
                // routes; one that is refused (a dead replica) still fails at once.
                HealthCheckTimeout = Patience,
                NodeAddresses = { [TestStore.Node] = "127.0.0.1" },
            };
            configure?.Invoke(options);
            var listeners = ProxyListener.Parse(options.Urls, []);
            var app = ProxyApplication.Create(options, listeners, store.Contexts, TimeProvider.System, loggers ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, store.Changes);
            await app.StartAsync();
            var harness = new ProxyHarness(store, app, options);
            await harness.State.FirstRead.WaitAsync(Patience);
            return harness;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of the proxy that follows no redirects and keeps no cookies.</summary>
    public HttpClient Client() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
    {
        BaseAddress = Address,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>A GET with the given Host header (for the host form, <c>&lt;tool&gt;.&lt;domain&gt;</c>).</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, string? host = null, IDictionary<string, string>? headers = null)
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }

    /// <summary>The whole answer (status line, headers, body) to a GET of <paramref name="path"/> sent as it is: HttpClient would normalise its dots away.</summary>
    public async Task<string> GetRawAsync(string path)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    public async Task<(HttpStatusCode Status, string Body)> GetTextAsync(string path, string? host = null)
    {
        using var response = await GetAsync(path, host);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Waits (polling) until <paramref name="check"/> holds for what the proxy answers at
    /// <paramref name="path"/>. <paramref name="within"/> (default <see cref="Patience"/>) only
    /// catches a hang: how soon a change reaches the proxy is the benchmark's figure
    /// (bench/proxy/run.sh), not a test's promise.
    /// </summary>
    public async Task WaitForAsync(string path, Func<HttpStatusCode, string, bool> check, TimeSpan? within = null, string? host = null)
    {
        var patience = within ?? Patience;
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var (status, body) = await GetTextAsync(path, host);
            if (check(status, body))
            {
                return;
            }

            if (TimeProvider.System.GetElapsedTime(started) > patience)
            {
                throw new TimeoutException($"after {patience}, {path} still answers {(int)status}: {body[..Math.Min(body.Length, 300)]}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), TimeProvider.System);
        }
    }

    /// <summary>
    /// Waits until a replica (a <see cref="TestBackend"/> or a <see cref="PythonBackend"/>, the one
    /// named <paramref name="replica"/> if given) answers at <paramref name="path"/>. A 200 alone is
    /// not enough: once the proxy has read the tool, and before it has read its web service, it
    /// answers 200 itself, with the tool's default page.
    /// </summary>
    public Task WaitForReplicaAsync(string path, string? replica = null, string? host = null) =>
        WaitForAsync(
            path,
            (status, body) => status == HttpStatusCode.OK && (replica is null
                ? body.Contains("\"backend\":\"", StringComparison.Ordinal) || body.StartsWith("ok from ", StringComparison.Ordinal)
                : body.Contains($"\"backend\":\"{replica}\"", StringComparison.Ordinal) || body.StartsWith($"ok from {replica}\n", StringComparison.Ordinal)),
            host: host);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Store.DisposeAsync();
    }
}
