using Toolgrid.Core.Backends;
using Toolgrid.Core.Health;

namespace Toolgrid.Core.Tests.Health;

/// <summary>The fragment of a grid job script that runs a health check script in a loop beside the run.</summary>
public sealed class HealthLoopTests
{
    private const string Hostile = "x'; rm -rf ~; '";

    [Fact]
    public void A_run_without_a_script_check_gets_no_loop()
    {
        var http = Launch() with { HealthCheck = HealthCheck.For(null, "/healthz") };

        Assert.Equal(string.Empty, HealthLoop.Start(Launch(), detached: false));
        Assert.Equal(string.Empty, HealthLoop.Start(http, detached: true));
        Assert.Equal(string.Empty, HealthLoop.Stop(http));
    }

    [Fact]
    public void The_script_and_every_path_appear_single_quoted_exactly_as_the_builders_quote()
    {
        var launch = Launch(home: "/data/tools/it's") with { HealthCheck = HealthCheck.For(Hostile, null) };

        var fragment = HealthLoop.Start(launch, detached: false);

        Assert.Contains(" /bin/sh -c 'x'\\''; rm -rf ~; '\\''' </dev/null", fragment, StringComparison.Ordinal);
        Assert.Contains(">'/data/tools/it'\\''s/.toolgrid-health-7.new' && mv -f '/data/tools/it'\\''s/.toolgrid-health-7.new' '/data/tools/it'\\''s/.toolgrid-health-7'", fragment, StringComparison.Ordinal);
        Assert.DoesNotContain(Hostile, fragment, StringComparison.Ordinal);
        Assert.Equal("'x'\\''; rm -rf ~; '\\'''", ShellWord.Quote(Hostile));
    }

    [Fact]
    public void The_check_runs_every_interval_within_its_timeout_in_whole_seconds()
    {
        var check = new HealthCheck("true", null, TimeSpan.FromMilliseconds(1500), TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(2), 3);

        var fragment = HealthLoop.Start(Launch() with { HealthCheck = check }, detached: false);

        Assert.Contains("timeout -k 1 1 /bin/sh -c 'true'", fragment, StringComparison.Ordinal);
        Assert.Contains("sleep 2 &", fragment, StringComparison.Ordinal);
    }

    [Fact]
    public void An_attached_loop_leaves_its_pid_for_the_stop_and_a_detached_one_does_not()
    {
        var launch = Launch() with { HealthCheck = HealthCheck.For("true", null) };

        Assert.EndsWith(") </dev/null >/dev/null 2>&1 &\ntoolgrid_health=$!\n", HealthLoop.Start(launch, detached: false), StringComparison.Ordinal);
        Assert.EndsWith(") </dev/null >/dev/null 2>&1 &\n)\n", HealthLoop.Start(launch, detached: true), StringComparison.Ordinal);
        Assert.Equal("kill -TERM \"$toolgrid_health\" 2>/dev/null\n", HealthLoop.Stop(launch));
    }

    private static RunLaunch Launch(string home = "/data/tools/mytool") =>
        new(7, "mytool", "bot", null, "default", "./bot", "tools.mytool", 1001, 1001, home, new Dictionary<string, string>(), 0, 1000, 100, null, null, null, TimeSpan.FromSeconds(1));
}
