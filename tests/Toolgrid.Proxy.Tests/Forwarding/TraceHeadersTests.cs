using System.Net;
using Microsoft.Extensions.Logging;
using Toolgrid.Proxy.Tests.Support;

namespace Toolgrid.Proxy.Tests.Forwarding;

/// <summary>What a tool sees of tracing through the proxy: only what the client sent.</summary>
[Collection(UnderLoad.Name)]
public sealed class TraceHeadersTests
{
    [Fact]
    public async Task ProxyWithToolgriddsLogging_SendsNoTraceContextOfItsOwn_AndPassesTheClientsOn()
    {
        // Logging as toolgridd sets it: a console, ASP.NET Core at Warning.
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        await using var proxy = await ProxyHarness.StartAsync(loggers: loggers);
        await using var backend = await TestBackend.StartAsync("a");
        await proxy.Store.AddToolAsync("mytool");
        await proxy.Store.AddWebserviceAsync("mytool", backend.Port);
        await proxy.WaitForReplicaAsync("/mytool/");
        const string clients = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        using var plain = await proxy.GetAsync("/mytool/");
        var plainEcho = await Echo.ReadAsync(plain);
        using var traced = await proxy.GetAsync("/mytool/", headers: new Dictionary<string, string> { ["traceparent"] = clients });
        var tracedEcho = await Echo.ReadAsync(traced);

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Null(plainEcho.Header("traceparent"));
        Assert.Null(plainEcho.Header("Request-Id"));
        Assert.Equal(clients, tracedEcho.Header("traceparent"));
    }
}
