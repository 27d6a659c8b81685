using System.Text;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Contracts.Api;
using Toolgrid.Core.Backends;
using Toolgrid.Native.Users;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>The spec keys of the working directory, umask, port and health check, and reading them back.</summary>
public sealed class RunHealthSpecTests
{
    private static readonly ShepherdSettings Settings = new(true, "toolgrid", "/run/toolgrid/notify.sock");

    private static readonly HealthCheck Check = new(
        "curl -fs localhost:$PORT/ready", "/healthz", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2), 3);

    [Fact]
    public void The_working_directory_umask_port_and_health_check_are_written_and_read_back()
    {
        var launch = Launch() with { WorkingDirectory = "/srv/tools/x/www", Umask = 0b000_010_111, Port = 8123, HealthCheck = Check };

        Assert.Null(ShepherdSpec.Validate(launch));
        var pairs = Pairs(ShepherdSpec.Build(launch, new UnixAccount("/bin/bash", [5002, 27]), Settings));
        var target = RunHealthSpec.Read(42, pairs.ToLookup(p => p.Key, p => p.Value, StringComparer.Ordinal));

        Assert.Contains(("cwd", "/srv/tools/x/www"), pairs.Select(p => (p.Key, p.Value)));
        Assert.Contains(("umask", "0027"), pairs.Select(p => (p.Key, p.Value)));
        Assert.Contains(("port", "8123"), pairs.Select(p => (p.Key, p.Value)));
        Assert.NotNull(target);
        Assert.Equal(Check, target.Check);
        Assert.Equal((8123, 5001, 5002, "/srv/tools/x/www"), (target.Port, target.Uid, target.Gid, target.WorkingDirectory));
        Assert.Equal([5002, 27], target.Groups);
        Assert.Equal("8123", target.Environment["PORT"]);
        Assert.Equal("/srv/tools/x", target.Environment["HOME"]);
        Assert.Equal("/bin/bash", target.Environment["SHELL"]);
    }

    [Fact]
    public void Defaults_are_not_written_and_a_spec_without_a_health_check_has_nothing_to_probe()
    {
        var pairs = Pairs(ShepherdSpec.Build(Launch(), new UnixAccount("/bin/sh", []), Settings));

        Assert.DoesNotContain(pairs, p => p.Key is "cwd" or "umask" or "port" || p.Key.StartsWith("health_", StringComparison.Ordinal));
        Assert.Null(RunHealthSpec.Read(42, pairs.ToLookup(p => p.Key, p => p.Value, StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData("/srv/tools/xy", null, "is not inside the home")]
    [InlineData("/srv/tools/x/../y", null, "is not inside the home")]
    [InlineData("www", null, "is not an absolute path")]
    [InlineData(null, 0b1_000_000_000, "the umask 512 is invalid")]
    public void A_working_directory_outside_the_home_or_a_bad_umask_is_refused(string? directory, int? umask, string reason)
    {
        var launch = Launch() with { WorkingDirectory = directory, Umask = umask ?? JobDefaults.Umask };

        Assert.Contains(reason, ShepherdSpec.Validate(launch), StringComparison.Ordinal);
    }

    [Fact]
    public void A_health_check_that_cannot_be_carried_out_is_refused()
    {
        Assert.Equal("the health check's HTTP path /healthz needs the run to have a port", ShepherdSpec.Validate(Launch() with { HealthCheck = Check }));
        Assert.Contains("is not a path such as /healthz", ShepherdSpec.Validate(Launch() with { Port = 80, HealthCheck = Check with { HttpPath = "healthz" } }), StringComparison.Ordinal);
        Assert.Contains("failure threshold 0 is invalid", ShepherdSpec.Validate(Launch() with { Port = 80, HealthCheck = Check with { FailureThreshold = 0 } }), StringComparison.Ordinal);
        Assert.Contains("must be positive", ShepherdSpec.Validate(Launch() with { Port = 80, HealthCheck = Check with { Timeout = TimeSpan.Zero } }), StringComparison.Ordinal);
        Assert.Equal("the port 70000 is invalid", ShepherdSpec.Validate(Launch() with { Port = 70000 }));
        Assert.Null(ShepherdSpec.Validate(Launch() with { HealthCheck = Check with { HttpPath = null } }));
    }

    private static List<KeyValuePair<string, string>> Pairs(byte[] spec)
    {
        var parts = Encoding.UTF8.GetString(spec).Split('\0')[..^1];
        return parts.Chunk(2).Skip(1).Select(p => new KeyValuePair<string, string>(p[0], p[1])).Where(p => p.Key != "end").ToList();
    }

    private static RunLaunch Launch() => new(
        42, "x", "job", "node", "default", "true", "tools.x", 5001, 5002, "/srv/tools/x", new Dictionary<string, string> { ["PORT"] = "8123" },
        512L * 1024 * 1024, 500, 64, null, null, null, TimeSpan.FromSeconds(10));
}
