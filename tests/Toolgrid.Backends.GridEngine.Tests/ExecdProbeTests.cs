using System.Net;
using System.Net.Sockets;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.GridEngine.Tests;

public sealed class ExecdProbeTests
{
    [Fact]
    public async Task A_host_that_takes_the_connection_answers_one_that_refuses_it_or_does_not_resolve_is_silent()
    {
        using var listening = new TcpListener(IPAddress.Loopback, 0);
        listening.Start();
        var port = ((IPEndPoint)listening.LocalEndpoint).Port;
        var probe = new ExecdProbe(port, TimeSpan.FromSeconds(30), TimeProvider.System);

        var answering = await probe.SilentAmongAsync(["127.0.0.1", "no-such-node.invalid"]);
        listening.Stop();
        var refused = await probe.SilentAmongAsync(["127.0.0.1"]);

        Assert.Equal(["no-such-node.invalid"], answering);
        Assert.Equal(["127.0.0.1"], refused);
    }

    [Fact]
    public async Task Probe_gives_what_the_last_finished_probe_found_and_forgets_hosts_no_longer_asked_about()
    {
        var closed = ClosedPort();
        var probe = new ExecdProbe(closed, TimeSpan.FromSeconds(30), TimeProvider.System);

        probe.Probe(["127.0.0.1"]);
        var atFirst = probe.Silent.ToList();
        await Eventually.FoundAsync("the probe's result", () =>
        {
            probe.Probe(["127.0.0.1"]);
            return Task.FromResult(probe.Silent.Contains("127.0.0.1") ? "silent" : null);
        });
        await Eventually.FoundAsync("the probe of no host", () =>
        {
            probe.Probe([]);
            return Task.FromResult(probe.Silent.Count == 0 ? "none" : null);
        });

        Assert.Empty(atFirst);
    }

    private static int ClosedPort()
    {
        using var listening = new TcpListener(IPAddress.Loopback, 0);
        listening.Start();
        return ((IPEndPoint)listening.LocalEndpoint).Port;
    }
}
