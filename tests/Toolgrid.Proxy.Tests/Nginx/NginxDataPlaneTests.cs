using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Toolgrid.Controller.Tests.Support;
using Toolgrid.Proxy.Nginx;
using Toolgrid.Proxy.Routing;
using Toolgrid.Proxy.Tests.Support;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Proxy.Tests.Nginx;

/// <summary>
/// The nginx data plane with a real nginx in front of in-process replicas (<see cref="TestBackend"/>),
/// one of them standing for toolgridd's own listener behind it: node names that do not resolve,
/// configurations nginx refuses, stops while nginx starts, and an nginx left running.
/// </summary>
public sealed class NginxDataPlaneTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "0123456789abcdef0123456789abcdef";

    private const string NoSuchNode = "no-such-node.invalid";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "toolgrid-nginx-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly LogRecords _log = new();
    private readonly List<NginxDataPlane> _planes = [];
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(30) };
    private TestBackend _site = null!;
    private TestBackend _good = null!;
    private TestBackend _later = null!;
    private int _port;

    private string ConfigPath => Path.Combine(_directory, "nginx.conf");

    public async Task InitializeAsync()
    {
        _site = await TestBackend.StartAsync("site");
        _good = await TestBackend.StartAsync("good");
        _later = await TestBackend.StartAsync("later");
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public async Task DisposeAsync()
    {
        foreach (var plane in _planes)
        {
            await plane.DisposeAsync();
        }

        await _site.DisposeAsync();
        await _good.DisposeAsync();
        await _later.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _log.Dispose();
    }

    [NginxFact]
    public async Task AReplicaOnANodeThatDoesNotResolve_IsLeftOut_AndTheOtherTools_AreServedAndReloaded()
    {
        var plane = Plane();
        var state = State(("good", [new Replica(1, "node-good", "localhost", _good.Port)]), ("bad", [new Replica(2, NoSuchNode, NoSuchNode, 31999)]));
        await plane.StartAsync(state, CancellationToken.None);

        // Addresses, never names: the good tool's replica by its address, the bad one's not at all.
        var config = await File.ReadAllTextAsync(ConfigPath);
        Assert.Contains($"server 127.0.0.1:{_good.Port.ToString(CultureInfo.InvariantCulture)} ", config, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", config, StringComparison.Ordinal);
        Assert.DoesNotContain(NoSuchNode, config, StringComparison.Ordinal);
        Assert.DoesNotContain("location /bad/", config, StringComparison.Ordinal);
        Assert.Equal([NoSuchNode], plane.UnresolvedNodes);

        // The good tool through nginx; the bad one to toolgridd, as a tool with no replica getting traffic.
        Assert.Equal("good", await BackendAsync("/good/page"));
        Assert.Equal("site", await BackendAsync("/bad/page"));

        // Later changes still reach nginx: a new tool, then its route gone again.
        var reloads = plane.Reloads;
        var later = State(
            ("good", [new Replica(1, "node-good", "localhost", _good.Port)]),
            ("bad", [new Replica(2, NoSuchNode, NoSuchNode, 31999)]),
            ("later", [new Replica(3, "node-good", "127.0.0.1", _later.Port)]));
        plane.Apply(later);
        await WaitForBackendAsync("/later/page", "later");
        Assert.True(plane.Reloads > reloads);
        plane.Apply(state);
        await WaitForBackendAsync("/later/page", "site");
        Assert.Equal("good", await BackendAsync("/good/page"));

        // Said once, not at every configuration written or look-up made.
        Assert.Single(_log.Of(5407), m => m.Contains(NoSuchNode, StringComparison.Ordinal));
    }

    [NginxFact]
    public async Task AConfigurationNginxRefuses_IsNotPutInPlace_TheLastGoodOneServes_AndItIsTriedAgain()
    {
        var plane = Plane();
        await plane.StartAsync(State(("good", [new Replica(1, "node-good", "127.0.0.1", _good.Port)])), CancellationToken.None);
        var good = await File.ReadAllTextAsync(ConfigPath);

        // nginx cannot make its temporary directories: it refuses any configuration now.
        var temporary = Path.Combine(_directory, "tmp");
        Directory.Move(temporary, temporary + ".aside");
        await File.WriteAllTextAsync(temporary, "in the way");
        plane.Apply(State(("good", [new Replica(1, "node-good", "127.0.0.1", _good.Port)]), ("later", [new Replica(3, "node-good", "127.0.0.1", _later.Port)])));
        await Eventually.FoundAsync("nginx's refusal in the log", () => Task.FromResult(_log.Of(5410) is [var refused, ..] ? refused : null));
        Assert.Contains("Not a directory", _log.Of(5410)[0], StringComparison.Ordinal);
        Assert.Equal(good, await File.ReadAllTextAsync(ConfigPath));
        Assert.Equal("good", await BackendAsync("/good/page"));
        Assert.Equal("site", await BackendAsync("/later/page"));

        // Mended: the same routes are tried again and reach nginx.
        File.Delete(temporary);
        Directory.Move(temporary + ".aside", temporary);
        await WaitForBackendAsync("/later/page", "later");
        Assert.Single(_log.Of(5410));
    }

    [NginxFact]
    public async Task AStopWhileNginxStartsAgain_EndsTheNginxBeingStarted_AndFreesItsPort()
    {
        var plane = Plane();
        await plane.StartAsync(State(("good", [new Replica(1, "node-good", "127.0.0.1", _good.Port)])), CancellationToken.None);
        var first = plane.MasterPid!.Value;
        var launched = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        // The new master is held between its start and its wait until it listens: the stop comes then.
        plane.Launched = async (pid, token) =>
        {
            launched.TrySetResult(pid);
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, token);
        };
        using (var master = Process.GetProcessById(first))
        {
            master.Kill();
        }

        var second = await launched.Task.WaitAsync(Eventually.Patience);
        Assert.NotEqual(first, second);
        Assert.True(Directory.Exists("/proc/" + second.ToString(CultureInfo.InvariantCulture)));

        await plane.StopAsync(CancellationToken.None);
        AssertNoNginxLeft(second);
    }

    [NginxFact]
    public async Task AStopWhileNginxStartsForTheFirstTime_EndsIt_AndFreesItsPort()
    {
        var plane = Plane();
        var launched = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        plane.Launched = async (pid, token) =>
        {
            launched.TrySetResult(pid);
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, token);
        };
        var starting = plane.StartAsync(State(("good", [new Replica(1, "node-good", "127.0.0.1", _good.Port)])), CancellationToken.None);
        var pid = await launched.Task.WaitAsync(Eventually.Patience);

        await plane.StopAsync(CancellationToken.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => starting);
        AssertNoNginxLeft(pid);
    }

    [NginxFact]
    public async Task AStart_EndsAnNginxOfItsDirectoryLeftRunning_ButNoOtherProcessItsPidFileNames()
    {
        var state = State(("good", [new Replica(1, "node-good", "127.0.0.1", _good.Port)]));
        var earlier = Plane();
        await earlier.StartAsync(state, CancellationToken.None);
        await earlier.StopAsync(CancellationToken.None);

        // A pid file that names another process: it is left alone.
        using var foreign = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(_directory, "nginx.pid"), foreign.Id.ToString(CultureInfo.InvariantCulture) + "\n");
            var plane = Plane();
            await plane.StartAsync(state, CancellationToken.None);
            Assert.False(foreign.HasExited);
            Assert.Single(_log.Of(5411));
            await plane.StopAsync(CancellationToken.None);
        }
        finally
        {
            foreign.Kill();
        }

        // An nginx as a toolgridd that died left it, on the port: ended, and the new one listens there.
        var leftover = Process.Start(new ProcessStartInfo("/usr/bin/setsid", ["/usr/sbin/nginx", "-e", "stderr", "-p", _directory + "/", "-c", ConfigPath]) { UseShellExecute = false, RedirectStandardError = true })!;
        await Eventually.FoundAsync("the leftover's pid file", () => Task.FromResult(File.Exists(Path.Combine(_directory, "nginx.pid")) && File.ReadAllText(Path.Combine(_directory, "nginx.pid")).Trim() == leftover.Id.ToString(CultureInfo.InvariantCulture) ? "written" : null));
        var next = Plane();
        await next.StartAsync(state, CancellationToken.None);
        Assert.True(leftover.HasExited || !NginxProcesses.GroupAlive(leftover.Id));
        Assert.NotEqual(leftover.Id, next.MasterPid);
        Assert.Single(_log.Of(5405));
        Assert.Equal("good", await BackendAsync("/good/page"));
        await next.StopAsync(CancellationToken.None);
        AssertNoNginxLeft(leftover.Id);
    }

    private NginxDataPlane Plane()
    {
        var site = new NginxSite([new IPEndPoint(IPAddress.Loopback, _port)], new IPEndPoint(IPAddress.Loopback, _site.Port), Secret, _directory, null, "1");
        var plane = new NginxDataPlane(new ProxyOptions { NginxPath = NginxFactAttribute.Binary }, site, TimeProvider.System, _log.CreateLogger("nginx"));
        _planes.Add(plane);
        return plane;
    }

    /// <summary>No process of nginx's group, none with its configuration, and its port free.</summary>
    private void AssertNoNginxLeft(int pid)
    {
        Assert.False(NginxProcesses.GroupAlive(pid));
        foreach (var entry in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            string command;
            try
            {
                command = File.ReadAllText(entry + "/cmdline");
            }
            catch (IOException)
            {
                continue;
            }

            Assert.DoesNotContain(ConfigPath, command, StringComparison.Ordinal);
        }

        using var listener = new TcpListener(IPAddress.Loopback, _port);
        listener.Start();
        listener.Stop();
    }

    private async Task<string> BackendAsync(string path)
    {
        using var answer = await _client.GetAsync(new Uri($"http://127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}{path}"));
        return answer.Headers.TryGetValues("X-Backend", out var names) ? names.Single() : $"no backend ({(int)answer.StatusCode})";
    }

    private Task<string> WaitForBackendAsync(string path, string backend) =>
        Eventually.FoundAsync($"{path} answered by {backend}", async () => await BackendAsync(path) == backend ? backend : null);

    private static ProxyState State(params (string Tool, Replica[] Replicas)[] sites) => NginxConfigTests.State(sites);
}

/// <summary>A test that runs a real nginx: skipped, saying why, where there is none.</summary>
public sealed class NginxFactAttribute : FactAttribute
{
    public const string Binary = "/usr/sbin/nginx";

    public NginxFactAttribute()
    {
        if (!File.Exists(Binary))
        {
            Skip = $"needs nginx at {Binary}: apt-get install nginx-light (test.sh does)";
        }
    }
}
