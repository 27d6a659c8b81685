using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Toolgrid.Core.Backends;
using Xunit.Abstractions;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>Working directory, umask and health checks, with real runs, a real HTTP server and real scripts as the tool user.</summary>
public sealed class HealthCheckTests(ToolUserFixture user, ITestOutputHelper output) : IClassFixture<ToolUserFixture>
{
    private static readonly HealthCheck Quick = new(
        null, null, Interval: TimeSpan.FromMilliseconds(200), Timeout: TimeSpan.FromSeconds(2), StartupTimeout: TimeSpan.FromSeconds(20), FailureThreshold: 2);

    [RootFact]
    public async Task A_run_gets_its_working_directory_and_umask()
    {
        await using var harness = new BackendHarness(user, output);
        var directory = Path.Combine(harness.Work, "www");
        Directory.CreateDirectory(directory);
        Command.Run("chown", $"{user.Uid}:{user.Gid}", directory);
        var stdout = Path.Combine(harness.Work, "out");
        var launch = harness.Launch("pwd; umask; touch made", stdout: stdout) with { WorkingDirectory = directory, Umask = 0b000_010_111 };

        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var report = await harness.WaitForEndAsync(launch.RunId);

        Assert.Equal((BackendRunPhase.Exited, 0), (report.Phase, report.ExitCode));
        Assert.Equal([directory, "0027"], await File.ReadAllLinesAsync(stdout));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(directory, "made")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(stdout));
    }

    [RootFact]
    public async Task A_working_directory_that_is_missing_is_a_start_failure_that_says_so()
    {
        await using var harness = new BackendHarness(user, output);
        var missing = Path.Combine(harness.Work, "missing");
        var launch = harness.Launch("echo ran") with { WorkingDirectory = missing };

        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var report = await harness.WaitForEndAsync(launch.RunId);

        Assert.True(report.StartFailed);
        Assert.Contains($"cannot change to the working directory {missing} as {user.Name}", report.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task A_run_serving_HTTP_becomes_healthy_and_an_adopted_run_is_probed_again()
    {
        await using var harness = new BackendHarness(user, output);
        var port = FreePort();
        var launch = harness.Launch(
            "exec python3 -m http.server $PORT --bind 127.0.0.1",
            environment: new Dictionary<string, string> { ["PORT"] = Text(port) }) with
        {
            Port = port,
            WorkingDirectory = harness.Work,
            HealthCheck = Quick with { HttpPath = "/" },
        };
        using var watching = new CancellationTokenSource(BackendHarness.Patience);
        var watched = WatchForAsync(harness.Backend, launch.RunId, r => r.Healthy == true, watching.Token);

        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var listed = await harness.WaitForAsync(launch.RunId, r => r.Healthy is not null);
        var reported = await watched;
        var adopted = harness.NewBackend();
        var relisted = await harness.WaitForAsync(launch.RunId, r => r.Healthy is not null, adopted);
        await harness.Backend.StopAsync(launch.RunId, TimeSpan.FromSeconds(1), CancellationToken.None);
        var ended = await harness.WaitForEndAsync(launch.RunId);

        Assert.Equal((BackendRunPhase.Running, true, (string?)null), (listed.Phase, listed.Healthy, listed.HealthMessage));
        Assert.Equal((BackendRunPhase.Running, true), (reported.Phase, reported.Healthy));
        Assert.NotNull(reported.Pid);
        Assert.Equal((BackendRunPhase.Running, true), (relisted.Phase, relisted.Healthy));
        Assert.Equal(BackendRunPhase.Exited, ended.Phase);
        Assert.Null(ended.Healthy);
    }

    [RootFact]
    public async Task A_run_with_a_port_is_told_in_HOST_to_listen_on_loopback_and_one_without_is_told_nothing()
    {
        await using var harness = new BackendHarness(user, output);
        var served = Path.Combine(harness.Work, "served");
        var plain = Path.Combine(harness.Work, "plain");
        var withPort = harness.Launch("echo \"[$HOST]\"", stdout: served) with { Port = FreePort() };
        var withoutPort = harness.Launch("echo \"[$HOST]\"", stdout: plain, environment: new Dictionary<string, string> { ["HOST"] = "irc.example.org" });

        await harness.Backend.StartAsync(withPort, CancellationToken.None);
        await harness.Backend.StartAsync(withoutPort, CancellationToken.None);
        await harness.WaitForEndAsync(withPort.RunId);
        await harness.WaitForEndAsync(withoutPort.RunId);

        Assert.Equal(["[127.0.0.1]"], await File.ReadAllLinesAsync(served));
        Assert.Equal(["[irc.example.org]"], await File.ReadAllLinesAsync(plain));
    }

    [RootFact]
    public async Task A_web_service_that_listens_on_every_address_is_reported_and_one_that_binds_HOST_is_not()
    {
        await using var harness = new BackendHarness(user, output);
        var exposed = harness.Launch("exec python3 -m http.server $PORT --bind 0.0.0.0") with
        {
            Port = FreePort(),
            WorkingDirectory = harness.Work,
            HealthCheck = Quick with { HttpPath = "/" },
        };
        var bound = harness.Launch("exec python3 -m http.server --bind \"$HOST\" \"$PORT\"") with
        {
            Port = FreePort(),
            WorkingDirectory = harness.Work,
            HealthCheck = Quick with { HttpPath = "/" },
        };
        exposed = exposed with { Environment = new Dictionary<string, string> { ["PORT"] = Text(exposed.Port!.Value) } };
        bound = bound with { Environment = new Dictionary<string, string> { ["PORT"] = Text(bound.Port!.Value) } };

        await harness.Backend.StartAsync(exposed, CancellationToken.None);
        await harness.Backend.StartAsync(bound, CancellationToken.None);
        var outside = await harness.WaitForAsync(exposed.RunId, r => r.Healthy == true && !string.IsNullOrEmpty(r.ListensOutside));
        var inside = await harness.WaitForAsync(bound.RunId, r => r.Healthy == true && r.ListensOutside is not null);

        Assert.Equal($"0.0.0.0:{Text(exposed.Port.Value)}", outside.ListensOutside);
        Assert.Equal(string.Empty, inside.ListensOutside);
    }

    [RootFact]
    public async Task A_script_check_runs_as_the_tool_and_failing_it_threshold_times_makes_the_run_unhealthy()
    {
        await using var harness = new BackendHarness(user, output);
        var flag = Path.Combine(harness.Work, "down");
        var script = $"[ \"$(id -u)\" = {Text(user.Uid)} ] && [ \"$(id -G | tr ' ' '\\n' | sort -n | tr '\\n' ' ')\" = \"{string.Join(' ', new[] { user.Gid, user.ExtraGid }.Order())} \" ] && " +
            $"[ \"$(pwd)\" = {harness.Work} ] && [ \"$PORT\" = 1234 ] && [ ! -e {flag} ] || {{ echo not well >&2; exit 3; }}";
        var launch = harness.Launch("sleep 60", environment: new Dictionary<string, string> { ["PORT"] = "1234" }) with
        {
            WorkingDirectory = harness.Work,
            HealthCheck = Quick with { Script = script },
        };
        using var watching = new CancellationTokenSource(BackendHarness.Patience);
        var watched = WatchForAsync(harness.Backend, launch.RunId, r => r.Healthy == false, watching.Token);

        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var healthy = await harness.WaitForAsync(launch.RunId, r => r.Healthy is not null);
        await File.WriteAllTextAsync(flag, "down");
        var unhealthy = await harness.WaitForAsync(launch.RunId, r => r.Healthy == false);
        var reported = await watched;

        Assert.Equal((true, (string?)null), (healthy.Healthy, healthy.HealthMessage));
        Assert.Equal("the health script exited 3: not well (failed 2 times in a row)", unhealthy.HealthMessage);
        Assert.Equal((BackendRunPhase.Running, unhealthy.HealthMessage), (reported.Phase, reported.HealthMessage));
    }

    [RootFact]
    public async Task A_run_that_does_not_pass_its_startup_check_in_time_is_unhealthy()
    {
        await using var harness = new BackendHarness(user, output);
        var port = FreePort();
        var launch = harness.Launch("exec python3 -m http.server $PORT --bind 127.0.0.1", environment: new Dictionary<string, string> { ["PORT"] = Text(port) }) with
        {
            Port = port,
            WorkingDirectory = harness.Work,
            HealthCheck = Quick with { HttpPath = "/missing", StartupTimeout = TimeSpan.FromSeconds(1.5) },
        };
        var begun = TimeProvider.System.GetTimestamp();

        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var report = await harness.WaitForAsync(launch.RunId, r => r.Healthy is not null);

        Assert.Equal(false, report.Healthy);
        Assert.Equal($"did not pass its startup check within 1.5 s (GET http://127.0.0.1:{Text(port)}/missing: 404)", report.HealthMessage);
        Assert.InRange(TimeProvider.System.GetElapsedTime(begun), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
    }

    [RootFact]
    public async Task A_check_that_hangs_is_killed_at_its_timeout_and_a_closed_port_is_refused()
    {
        await using var harness = new BackendHarness(user, output);
        var hangs = harness.Launch("sleep 60") with
        {
            HealthCheck = Quick with { Script = "sleep 30", Timeout = TimeSpan.FromMilliseconds(300), FailureThreshold = 1, StartupTimeout = TimeSpan.FromMilliseconds(500) },
        };
        var closed = harness.Launch("sleep 60") with { Port = FreePort(), HealthCheck = Quick with { HttpPath = "/", StartupTimeout = TimeSpan.FromMilliseconds(500) } };

        await harness.Backend.StartAsync(hangs, CancellationToken.None);
        await harness.Backend.StartAsync(closed, CancellationToken.None);
        var hung = await harness.WaitForAsync(hangs.RunId, r => r.Healthy is not null);
        var refused = await harness.WaitForAsync(closed.RunId, r => r.Healthy is not null);

        Assert.Equal("did not pass its startup check within 500 ms (the health script did not finish within 300 ms)", hung.HealthMessage);
        Assert.Equal($"did not pass its startup check within 500 ms (GET http://127.0.0.1:{Text(closed.Port!.Value)}/: connection refused)", refused.HealthMessage);
        Assert.DoesNotContain(harness.LiveProcessesOfUser(), pid => File.ReadAllText($"/proc/{Text(pid)}/cmdline").StartsWith("sleep\u000030", StringComparison.Ordinal));
    }

    private static async Task<BackendRunReport> WatchForAsync(LocalBackend backend, long runId, Func<BackendRunReport, bool> until, CancellationToken cancellationToken)
    {
        await foreach (var report in backend.WatchAsync(cancellationToken))
        {
            if (report.RunId == runId && until(report))
            {
                return report;
            }
        }

        throw new InvalidOperationException("the watch ended");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);
}
