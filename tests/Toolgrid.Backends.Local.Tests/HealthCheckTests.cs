using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Toolgrid.Core.Backends;
using Xunit.Abstractions;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>Working directory, umask and health checks, with real runs, a real HTTP server and real scripts as the tool user.</summary>
[Collection(RealRuns.Name)]
public sealed class HealthCheckTests(ToolUserFixture user, ITestOutputHelper output) : IClassFixture<ToolUserFixture>
{
    /// <summary>
    /// Checks often, and patient with each check and with the start: on a busy machine a slow
    /// Python start or a slow answer must not read as an unhealthy run. The tests of timeouts set
    /// their own, with outcomes that do not depend on how busy the machine is.
    /// </summary>
    internal static readonly HealthCheck Quick = new(
        null, null, Interval: TimeSpan.FromMilliseconds(200), Timeout: TimeSpan.FromSeconds(30), StartupTimeout: TimeSpan.FromSeconds(60), FailureThreshold: 2);

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
        // The port answers 404 from before the run is first seen (its checks begin then), so every
        // check gets the same answer however long the machine takes: the verdict cannot depend on
        // when a server came up. It listens only once the run has started: a run whose port another
        // process holds is not started.
        await using var harness = new BackendHarness(user, output);
        var startupTimeout = TimeSpan.FromSeconds(1.5);
        var launch = harness.Launch("sleep 60") with
        {
            Port = FreePort(),
            HealthCheck = Quick with { HttpPath = "/missing", StartupTimeout = startupTimeout },
        };
        var begun = TimeProvider.System.GetTimestamp();

        await harness.Backend.StartAsync(launch, CancellationToken.None);
        using var notFound = new NotFoundServer(launch.Port!.Value);
        var report = await harness.WaitForAsync(launch.RunId, r => r.Healthy is not null);

        Assert.Equal(false, report.Healthy);
        Assert.Equal($"did not pass its startup check within 1.5 s (GET http://127.0.0.1:{Text(notFound.Port)}/missing: 404)", report.HealthMessage);

        // Not before its startup timeout (a lower bound: a busy machine only makes it later).
        Assert.True(TimeProvider.System.GetElapsedTime(begun) >= startupTimeout, "the run was found unhealthy before its startup timeout");
    }

    [RootFact]
    public async Task A_check_that_hangs_is_killed_at_its_timeout_and_a_closed_port_is_refused()
    {
        await using var harness = new BackendHarness(user, output);
        var hangs = harness.Launch("sleep 60") with
        {
            HealthCheck = Quick with { Script = "sleep 300", Timeout = TimeSpan.FromMilliseconds(300), FailureThreshold = 1, StartupTimeout = TimeSpan.FromMilliseconds(500) },
        };
        var closed = harness.Launch("sleep 60") with { Port = FreePort(), HealthCheck = Quick with { HttpPath = "/", StartupTimeout = TimeSpan.FromMilliseconds(500) } };

        await harness.Backend.StartAsync(hangs, CancellationToken.None);
        await harness.Backend.StartAsync(closed, CancellationToken.None);
        var hung = await harness.WaitForAsync(hangs.RunId, r => r.Healthy is not null);
        var refused = await harness.WaitForAsync(closed.RunId, r => r.Healthy is not null);

        Assert.Equal("did not pass its startup check within 500 ms (the health script did not finish within 300 ms)", hung.HealthMessage);
        Assert.Equal($"did not pass its startup check within 500 ms (GET http://127.0.0.1:{Text(closed.Port!.Value)}/: connection refused)", refused.HealthMessage);

        // Checks go on while the run runs; once it has ended, the last one is killed at its
        // timeout too, and no hung script is left (one not killed would sleep on for 300 s).
        await harness.Backend.StopAsync(hangs.RunId, TimeSpan.FromSeconds(1), CancellationToken.None);
        await harness.WaitForEndAsync(hangs.RunId);
        await BackendHarness.WaitUntilAsync(() => !harness.LiveProcessesOfUser().Any(pid => CommandLine(pid) == "sleep\u0000300\u0000"), "the hung health scripts to be killed");
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

    private static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{Text(pid)}/cmdline");
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>An HTTP server on a free loopback port that answers every request with 404.</summary>
    private sealed class NotFoundServer : IDisposable
    {
        private readonly HttpListener _listener = new();

        public NotFoundServer(int port)
        {
            Port = port;
            _listener.Prefixes.Add($"http://127.0.0.1:{Text(Port)}/");
            _listener.Start();
            _ = AnswerAsync();
        }

        public int Port { get; }

        public void Dispose() => _listener.Close();

        private async Task AnswerAsync()
        {
            try
            {
                while (true)
                {
                    var context = await _listener.GetContextAsync();
                    context.Response.StatusCode = 404;
                    context.Response.Close();
                }
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // Closed.
            }
        }
    }
}
