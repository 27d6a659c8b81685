using System.Globalization;
using Toolgrid.Core.Backends;
using Toolgrid.Native;
using Xunit.Abstractions;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>What a run sees of the host and of other tools: real shepherds, two real tool users, real mounts.</summary>
public sealed class IsolationTests(TwoToolUsers users, ITestOutputHelper output) : IClassFixture<TwoToolUsers>
{
    [RootFact]
    public async Task A_run_sees_in_proc_only_the_processes_of_its_own_user()
    {
        await using var harness = new BackendHarness(users.Tool, output);
        var other = AsOther(harness.Launch("sleep 300; echo done"));
        await harness.Backend.StartAsync(other, CancellationToken.None);
        var otherPid = (await harness.WaitForAsync(other.RunId, r => r.Phase == BackendRunPhase.Running)).Pid!.Value;
        var stdout = Path.Combine(harness.Work, "proc.out");
        var look = harness.Launch(
            $"for p in /proc/[0-9]*; do stat -c %u \"$p\"; done | sort -u; ls -d /proc/{Text(otherPid)} 2>/dev/null || echo hidden; cat /proc/{Text(otherPid)}/cmdline 2>/dev/null || echo unreadable; ls /proc/self/ >/dev/null && echo self",
            stdout: stdout);

        await harness.Backend.StartAsync(look, CancellationToken.None);
        var report = await harness.WaitForEndAsync(look.RunId);

        await harness.Backend.StopAsync(other.RunId, TimeSpan.FromSeconds(1), CancellationToken.None);
        await harness.WaitForEndAsync(other.RunId);

        Assert.Equal((BackendRunPhase.Exited, 0), (report.Phase, report.ExitCode));
        Assert.Equal([Text(users.Tool.Uid), "hidden", "unreadable", "self"], await File.ReadAllLinesAsync(stdout));
        Assert.True(harness.Started(look.RunId).Isolated);
    }

    [RootFact]
    public async Task A_run_cannot_read_the_log_files_of_another_tool()
    {
        await using var harness = new BackendHarness(users.Tool, output);
        var otherLog = Path.Combine(users.Other.Home, $"secret-{harness.CgroupParent}.out");
        try
        {
            var other = AsOther(harness.Launch("echo the other tools secret", stdout: otherLog, stderr: otherLog));
            await harness.Backend.StartAsync(other, CancellationToken.None);
            Assert.Equal(0, (await harness.WaitForEndAsync(other.RunId)).ExitCode);
            var stdout = Path.Combine(harness.Work, "look.out");
            var look = harness.Launch($"cat {otherLog}", stdout: stdout, stderr: stdout);

            await harness.Backend.StartAsync(look, CancellationToken.None);
            var report = await harness.WaitForEndAsync(look.RunId);

            Assert.NotEqual(0, report.ExitCode);
            Assert.Contains("Permission denied", await File.ReadAllTextAsync(stdout), StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(otherLog));
        }
        finally
        {
            File.Delete(otherLog);
        }
    }

    [RootFact]
    public async Task A_run_gets_an_empty_tmp_of_its_own_that_is_removed_when_it_ends()
    {
        await using var harness = new BackendHarness(users.Tool, output);
        var hostMarker = Path.Combine("/tmp", $"host-{harness.CgroupParent}");
        var runFile = $"run-{harness.CgroupParent}";
        await File.WriteAllTextAsync(hostMarker, "the host's");
        try
        {
            var stdout = Path.Combine(harness.Work, "tmp.out");
            var launch = harness.Launch(
                $"ls -A /tmp | wc -l; ls -A /var/tmp | wc -l; ls -A /dev/shm | wc -l; stat -c '%a %U' /tmp /var/tmp; echo mine > /tmp/{runFile}; cat /tmp/{runFile}",
                stdout: stdout);

            await harness.Backend.StartAsync(launch, CancellationToken.None);
            var report = await harness.WaitForEndAsync(launch.RunId);

            Assert.Equal((BackendRunPhase.Exited, 0), (report.Phase, report.ExitCode));
            Assert.Equal(["0", "0", "0", "1777 root", "1777 root", "mine"], (await File.ReadAllLinesAsync(stdout)).Select(l => l.Trim()));
            Assert.False(File.Exists(Path.Combine("/tmp", runFile)), "the run wrote into the host's /tmp");
            var privateTmp = harness.Started(launch.RunId).PrivateTmp!;
            Assert.Equal(["/tmp", "/var/tmp"], privateTmp.Select(Path.GetDirectoryName));
            Assert.All(privateTmp, directory => Assert.False(Directory.Exists(directory), $"{directory} outlived its run"));
        }
        finally
        {
            File.Delete(hostMarker);
        }
    }

    [RootFact]
    public async Task Two_runs_of_one_tool_do_not_share_tmp()
    {
        await using var harness = new BackendHarness(users.Tool, output);
        var firstOut = Path.Combine(harness.Work, "first.out");
        var first = harness.Launch("echo one > /tmp/secret && echo written; exec sleep 300", stdout: firstOut);
        await harness.Backend.StartAsync(first, CancellationToken.None);
        await WaitForTextAsync(firstOut, "written");
        var secondOut = Path.Combine(harness.Work, "second.out");
        var second = harness.Launch("ls -A /tmp | wc -l; cat /tmp/secret 2>/dev/null || echo absent", stdout: secondOut);

        await harness.Backend.StartAsync(second, CancellationToken.None);
        await harness.WaitForEndAsync(second.RunId);
        await harness.Backend.StopAsync(first.RunId, TimeSpan.FromSeconds(1), CancellationToken.None);
        await harness.WaitForEndAsync(first.RunId);

        Assert.Equal(["0", "absent"], (await File.ReadAllLinesAsync(secondOut)).Select(l => l.Trim()));
        Assert.All(harness.Started(first.RunId).PrivateTmp!, directory => Assert.False(Directory.Exists(directory), $"{directory} outlived its stopped run"));
    }

    [RootFact]
    public async Task A_health_script_sees_the_runs_own_tmp_and_proc()
    {
        await using var harness = new BackendHarness(users.Tool, output);
        var launch = harness.Launch("touch /tmp/ready; exec sleep 300") with
        {
            HealthCheck = HealthCheckTests.Quick with { Script = "test -f /tmp/ready && test \"$(stat -c %u /proc/[0-9]* | sort -u)\" = \"$(id -u)\"" },
        };

        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var report = await harness.WaitForAsync(launch.RunId, r => r.Healthy is not null);
        await harness.Backend.StopAsync(launch.RunId, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.True(report.Healthy, report.HealthMessage);
        Assert.False(File.Exists("/tmp/ready"), "the run wrote into the host's /tmp");
    }

    [RootFact]
    public async Task The_private_tmp_of_a_run_whose_shepherd_died_is_removed_with_its_leftovers()
    {
        await using var harness = new BackendHarness(users.Tool, output);
        var launch = harness.Launch("exec sleep 300");
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        await harness.WaitForAsync(launch.RunId, r => r.Phase == BackendRunPhase.Running);
        var started = harness.Started(launch.RunId);
        Assert.Equal(2, started.PrivateTmp!.Count(Directory.Exists));

        LibC.Kill(started.ShepherdPid, LibC.SigKill);
        var report = await harness.WaitForAsync(launch.RunId, r => r.Phase == BackendRunPhase.Lost);

        Assert.Equal(BackendRunPhase.Lost, report.Phase);
        Assert.All(started.PrivateTmp!, directory => Assert.False(Directory.Exists(directory), $"{directory} outlived its lost run"));
    }

    [RootFact]
    public async Task A_home_inside_tmp_is_a_start_failure_that_says_why()
    {
        await using var harness = new BackendHarness(users.Tool, output);
        var home = Path.Combine("/tmp", $"home-{harness.CgroupParent}");
        Directory.CreateDirectory(home);
        try
        {
            Command.Run("chown", $"{users.Tool.Uid}:{users.Tool.Gid}", home);
            var launch = harness.Launch("echo ran") with { Home = home };

            await harness.Backend.StartAsync(launch, CancellationToken.None);
            var report = await harness.WaitForEndAsync(launch.RunId);

            Assert.True(report.StartFailed);
            Assert.Contains($"the home {home} is inside /tmp", report.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task WaitForTextAsync(string path, string text)
    {
        using var patience = new CancellationTokenSource(BackendHarness.Patience);
        while (!File.Exists(path) || !(await File.ReadAllTextAsync(path, patience.Token)).Contains(text, StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(25), TimeProvider.System, patience.Token);
        }
    }

    private RunLaunch AsOther(RunLaunch launch) =>
        launch with { UnixUser = users.Other.Name, Uid = users.Other.Uid, Gid = users.Other.Gid, Home = users.Other.Home };
}
