using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
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
    public void A_refused_connect_makes_a_host_silent_at_once_a_timed_out_one_only_after_the_probe_before_timed_out_too()
    {
        HashSet<string> none = [];
        HashSet<string> heard = ["node1", "node2", "node3"];
        var first = new ProbeResult(Answering: new HashSet<string> { "node3" }, Refused: new HashSet<string> { "node1" }, TimedOut: new HashSet<string> { "node2", "never-heard" });

        var afterFirst = ExecdProbe.Next(first, none, none, heard);
        var afterSecond = ExecdProbe.Next(first with { Refused = none }, first.TimedOut, afterFirst, heard);
        var answeredBetween = ExecdProbe.Next(first with { Refused = none }, none, none, heard);

        Assert.Equal(["node1"], afterFirst);
        Assert.Equal(["node2"], afterSecond);
        Assert.Empty(answeredBetween);
    }

    [Fact]
    public async Task Probe_finds_silent_only_a_host_that_answered_before_and_forgets_hosts_no_longer_asked_about()
    {
        using var listening = new TcpListener(IPAddress.Loopback, 0);
        listening.Start();
        var port = ((IPEndPoint)listening.LocalEndpoint).Port;
        var probe = new ExecdProbe(port, TimeSpan.FromSeconds(30), TimeProvider.System);
        var never = new ExecdProbe(ClosedPort(), TimeSpan.FromSeconds(30), TimeProvider.System);

        probe.Probe(["127.0.0.1"]);
        var atFirst = probe.Silent.ToList();
        await Until(probe, ["127.0.0.1"], () => probe.Heard.Contains("127.0.0.1"));
        listening.Stop();
        await Until(probe, ["127.0.0.1"], () => probe.Silent.Contains("127.0.0.1"));
        await Until(probe, [], () => probe.Silent.Count == 0);

        // Refused from the first probe on (the port closed to this host): never taken for silent.
        never.Probe(["127.0.0.1"]);
        await Until(never, ["127.0.0.1"], () => never.Silent.Count == 0 && !never.Heard.Contains("127.0.0.1"), probes: 5);

        Assert.Empty(atFirst);
    }

    [Fact]
    public async Task A_host_of_the_cell_is_heard_before_it_runs_a_job_and_a_heard_host_is_not_asked_again_for_the_cell()
    {
        using var listening = new TcpListener(IPAddress.Loopback, 0);
        listening.Start();
        var port = ((IPEndPoint)listening.LocalEndpoint).Port;
        var time = new FakeTimeProvider();
        var probe = new ExecdProbe(port, TimeSpan.FromSeconds(30), time);

        await Until(probe, [], () => probe.Heard.Contains("127.0.0.1"), cell: ["127.0.0.1"]);
        using (await listening.AcceptTcpClientAsync())
        {
        }

        // Heard: the cell's next sweep leaves it out (no job of Toolgrid's there), so no connection comes.
        time.Advance(ExecdProbe.UnheardEvery);
        await Until(probe, [], () => true, probes: 3, cell: ["127.0.0.1"]);
        Assert.False(listening.Pending());
    }

    /// <summary>Probes <paramref name="hosts"/> until <paramref name="condition"/> holds (at least <paramref name="probes"/> finished probes).</summary>
    private static async Task Until(ExecdProbe probe, IReadOnlyCollection<string> hosts, Func<bool> condition, int probes = 1, IReadOnlyCollection<string>? cell = null)
    {
        var finished = 0;
        IReadOnlySet<string>? last = null;
        await Eventually.FoundAsync("the probe's answer", () =>
        {
            probe.Probe(hosts, cell);
            if (!ReferenceEquals(last, probe.Silent))
            {
                finished++;
                last = probe.Silent;
            }

            return Task.FromResult(finished >= probes && condition() ? "yes" : null);
        });
    }

    private static int ClosedPort()
    {
        using var listening = new TcpListener(IPAddress.Loopback, 0);
        listening.Start();
        return ((IPEndPoint)listening.LocalEndpoint).Port;
    }
}
