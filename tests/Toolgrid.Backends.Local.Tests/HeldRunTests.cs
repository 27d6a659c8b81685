using System.Diagnostics;
using System.Globalization;
using Toolgrid.Core.Backends;
using Xunit.Abstractions;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>Runs started ahead of their due time (<see cref="RunLaunch.NotBefore"/>): set up at once, their command held until then, by real shepherds.</summary>
public sealed class HeldRunTests(ToolUserFixture user, ITestOutputHelper output) : IClassFixture<ToolUserFixture>
{
    private static readonly TimeSpan Precision = TimeSpan.FromMilliseconds(100);

    [RootFact]
    public async Task A_run_due_later_is_set_up_at_once_reported_waiting_and_its_command_goes_at_its_due_time()
    {
        await using var harness = new BackendHarness(user, output);
        var stdout = Path.Combine(harness.Work, "due.out");
        var notBefore = Now().AddSeconds(1.5);
        var launch = harness.Launch("date +%s.%N", stdout: stdout) with { NotBefore = notBefore };

        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var waiting = Assert.Single(await harness.Backend.ListAsync(CancellationToken.None));
        var seenAt = Now();
        var held = harness.Run(launch.RunId).Read();
        var report = await harness.WaitForAsync(launch.RunId, r => r.Phase == BackendRunPhase.Exited);
        var started = harness.Started(launch.RunId);

        Assert.True(seenAt < notBefore, $"the start took until {seenAt:O}, past the due time {notBefore:O}");
        Assert.Equal((BackendRunPhase.Waiting, (DateTimeOffset?)null), (waiting.Phase, waiting.StartedAt));
        Assert.Null(held.Started);
        Assert.NotNull(held.Waiting);
        Assert.Equal((started.Pid, started.ShepherdPid, started.ShepherdStartTime), (waiting.Pid, held.Waiting.ShepherdPid, held.Waiting.ShepherdStartTime));
        Assert.Equal(notBefore, held.Waiting.NotBefore);
        Assert.InRange(started.StartedAt!.Value, notBefore, notBefore + Precision);
        Assert.Equal((0, started.StartedAt, started.Pid), (report.ExitCode, report.StartedAt, report.Pid));
        var ranAt = decimal.Parse((await File.ReadAllTextAsync(stdout)).Trim(), CultureInfo.InvariantCulture);
        output.WriteLine($"due {UnixSeconds(notBefore)}, started record {UnixSeconds(started.StartedAt.Value)}, the command's own clock {ranAt}");
        Assert.InRange(ranAt, UnixSeconds(notBefore), UnixSeconds(notBefore + TimeSpan.FromSeconds(1)));
    }

    [RootFact]
    public async Task A_waiting_run_that_is_stopped_ends_at_once_without_its_command_having_run_and_leaves_nothing()
    {
        await using var harness = new BackendHarness(user, output);
        var marker = Path.Combine(harness.Work, "marker");
        var notBefore = Now().AddSeconds(4);
        var launch = harness.Launch($"touch {marker}") with { NotBefore = notBefore };
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var held = harness.Run(launch.RunId).Read().Waiting;
        Assert.NotNull(held);
        Assert.NotEmpty(held.CgroupDirectories);
        Assert.All(held.CgroupDirectories, d => Assert.True(Directory.Exists(d), $"{d} is not made while the run waits"));

        var stopping = Stopwatch.StartNew();
        await harness.Backend.StopAsync(launch.RunId, TimeSpan.FromSeconds(5), CancellationToken.None);
        var report = await harness.WaitForAsync(launch.RunId, r => r.Phase == BackendRunPhase.Exited);
        stopping.Stop();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(1), $"the stop took {stopping.Elapsed}");
        Assert.True(Now() < notBefore);
        Assert.Equal((15, false, "stopped before it started"), (report.Signal, report.StartFailed, report.Message));
        Assert.Equal(((int?)null, (DateTimeOffset?)null), (report.Pid, report.StartedAt));
        Assert.Null(harness.Run(launch.RunId).Read().Started);
        Assert.True(BackendHarness.IsGone(held.ShepherdPid), "the shepherd is left");
        Assert.True(held.Pid is { } job && BackendHarness.IsGone(job), "the job process is left");
        Assert.Empty(harness.LiveProcessesOfUser());
        Assert.All(held.CgroupDirectories, d => Assert.False(Directory.Exists(d), $"{d} is left"));
        Assert.False(File.Exists(marker));
    }

    [RootFact]
    public async Task A_new_backend_over_the_same_directory_reports_a_waiting_run_which_still_starts_on_time()
    {
        await using var harness = new BackendHarness(user, output);
        var stdout = Path.Combine(harness.Work, "adopted.out");
        var notBefore = Now().AddSeconds(1.5);
        var launch = harness.Launch("echo ran", stdout: stdout) with { NotBefore = notBefore };
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        await harness.Backend.DisposeAsync();

        var adopter = harness.NewBackend();
        var waiting = Assert.Single(await adopter.ListAsync(CancellationToken.None));
        var seenAt = Now();
        await adopter.StartAsync(launch, CancellationToken.None);
        var report = await harness.WaitForAsync(launch.RunId, r => r.Phase == BackendRunPhase.Exited, adopter);

        Assert.True(seenAt < notBefore, $"the restart took until {seenAt:O}, past the due time {notBefore:O}");
        Assert.Equal(BackendRunPhase.Waiting, waiting.Phase);
        Assert.Equal(0, report.ExitCode);
        Assert.InRange(report.StartedAt!.Value, notBefore, notBefore + Precision);
        Assert.Equal("ran\n", await File.ReadAllTextAsync(stdout));
    }

    [RootFact]
    public async Task A_run_whose_due_time_has_passed_starts_at_once()
    {
        await using var harness = new BackendHarness(user, output);
        var launch = harness.Launch("true") with { NotBefore = Now().AddSeconds(-10) };

        var starting = Stopwatch.StartNew();
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        starting.Stop();
        var state = harness.Run(launch.RunId).Read();
        var report = await harness.WaitForAsync(launch.RunId, r => r.Phase == BackendRunPhase.Exited);

        Assert.NotNull(state.Started);
        Assert.Null(state.Waiting);
        Assert.True(starting.Elapsed < TimeSpan.FromSeconds(2), $"the start took {starting.Elapsed}");
        Assert.Equal((0, false), (report.ExitCode, report.StartFailed));
    }

    private static DateTimeOffset Now() => TimeProvider.System.GetUtcNow();

    private static decimal UnixSeconds(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks / (decimal)TimeSpan.TicksPerSecond;
}
