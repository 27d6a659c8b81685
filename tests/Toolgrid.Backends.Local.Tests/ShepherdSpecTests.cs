using System.Text;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Core.Backends;
using Toolgrid.Native.Users;

namespace Toolgrid.Backends.Local.Tests;

public sealed class ShepherdSpecTests
{
    private static readonly ShepherdSettings Settings = new(true, "toolgrid", "/run/toolgrid/notify.sock");

    [Fact]
    public void A_spec_is_a_record_of_NUL_separated_pairs_with_one_env_entry_per_variable_and_one_group_entry_per_group()
    {
        var launch = Launch("echo 'a b' \"$X\"; exit 3", new Dictionary<string, string> { ["B"] = "two=2", ["A"] = "one\nline" });

        Assert.Null(ShepherdSpec.Validate(launch));
        var spec = ShepherdSpec.Build(launch, new UnixAccount("/bin/bash", [5002, 27]), Settings);

        var parts = Encoding.UTF8.GetString(spec).Split('\0');
        Assert.Equal(string.Empty, parts[^1]);
        var pairs = parts[..^1].Chunk(2).Select(p => (p[0], p[1])).ToList();
        Assert.Equal(
            [
                ("spec", "1"),
                ("run_id", "42"), ("command", "echo 'a b' \"$X\"; exit 3"), ("uid", "5001"), ("gid", "5002"), ("user", "tools.x"),
                ("home", "/srv/tools/x"), ("shell", "/bin/bash"), ("group", "5002"), ("group", "27"), ("env", "A=one\nline"), ("env", "B=two=2"),
                ("memory_bytes", "536870912"), ("cpu_millis", "500"), ("max_processes", "64"), ("stdout", "/srv/tools/x/job.out"), ("stderr", string.Empty),
                ("timeout_ms", "1500"), ("grace_ms", "10000"), ("cgroups", "auto"), ("isolation", "auto"), ("cgroup_parent", "toolgrid"), ("notify_socket", "/run/toolgrid/notify.sock"),
                ("end", "spec"),
            ],
            pairs);
    }

    [Theory]
    [InlineData("echo \0", "/srv/tools/x", "NUL")]
    [InlineData("true", "relative/home", "not an absolute path")]
    public void A_launch_that_cannot_be_written_as_a_spec_gives_the_reason(string command, string home, string reason)
    {
        var launch = Launch(command, new Dictionary<string, string>()) with { Home = home };

        Assert.Contains(reason, ShepherdSpec.Validate(launch), StringComparison.Ordinal);
    }

    [Fact]
    public void An_environment_name_with_an_equals_sign_is_refused()
    {
        var error = ShepherdSpec.Validate(Launch("true", new Dictionary<string, string> { ["A=B"] = "c" }));

        Assert.Equal("the environment variable name \"A=B\" is invalid", error);
    }

    [Fact]
    public void A_due_time_is_written_as_unix_nanoseconds_and_only_when_there_is_one()
    {
        var launch = Launch("true", new Dictionary<string, string>());
        var due = launch with { NotBefore = DateTimeOffset.UnixEpoch.AddTicks(17_640_000_001_234_567) };

        Assert.Null(ShepherdSpec.Validate(due));
        Assert.DoesNotContain("not_before_ns", Encoding.UTF8.GetString(ShepherdSpec.Build(launch, new UnixAccount("/bin/sh", []), Settings)), StringComparison.Ordinal);
        Assert.Contains("\0not_before_ns\01764000000123456700\0", Encoding.UTF8.GetString(ShepherdSpec.Build(due, new UnixAccount("/bin/sh", []), Settings)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_due_time_for_an_interactive_run_or_one_not_after_1970_or_past_2262_is_refused()
    {
        var launch = Launch("true", new Dictionary<string, string>());

        Assert.Equal(
            "an interactive run cannot be held until a due time (it waits for its attach)",
            ShepherdSpec.Validate(launch with { Interactive = true, NotBefore = DateTimeOffset.UnixEpoch.AddDays(20_000) }));
        Assert.Contains("is not after 1970-01-01", ShepherdSpec.Validate(launch with { NotBefore = DateTimeOffset.UnixEpoch }), StringComparison.Ordinal);
        Assert.Contains("too far ahead", ShepherdSpec.Validate(launch with { NotBefore = new DateTimeOffset(2263, 1, 1, 0, 0, 0, TimeSpan.Zero) }), StringComparison.Ordinal);
    }

    private static RunLaunch Launch(string command, IReadOnlyDictionary<string, string> environment) => new(
        42, "x", "job", "node", "default", command, "tools.x", 5001, 5002, "/srv/tools/x", environment, 512L * 1024 * 1024, 500, 64,
        "/srv/tools/x/job.out", null, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
}
