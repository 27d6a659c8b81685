using System.Globalization;
using Toolgrid.Core.Backends;
using Xunit.Abstractions;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>Runs started ahead of their due time (<see cref="RunLaunch.NotBefore"/>): set up at once, their command held until then, by real shepherds.</summary>
/// <remarks>
/// The shepherd holds a run on the real clock, so these tests use real due times. They assert
/// what holds on any machine: nothing runs before its due time, a run seen before its due time is
/// waiting. How soon after the due time a command goes is a figure of the benchmark (the held
/// schedules of <c>bench/run.sh</c>, <c>startedAt − dueAt</c>), not a promise of these tests.
/// </remarks>
[Collection(RealRuns.Name)]
public sealed class HeldRunTests(ToolUserFixture user, ITestOutputHelper output) : IClassFixture<ToolUserFixture>
{
    /// <summary>A due time no test reaches: the run is still held whenever the test looks.</summary>
    private static readonly TimeSpan FarAhead = TimeSpan.FromHours(1);

    [RootFact]
    public async Task A_run_due_later_is_set_up_at_once_reported_waiting_and_its_command_goes_at_its_due_time()
    {
        await using var harness = new BackendHarness(user, output);
        await HeldLongEnoughAsync(async (hold, attempt) =>
        {
            var stdout = Path.Combine(harness.Work, $"due-{attempt}.out");
            var notBefore = Now() + hold;
            var launch = harness.Launch("date +%s.%N", stdout: stdout) with { NotBefore = notBefore };

            await harness.Backend.StartAsync(launch, CancellationToken.None);
            var listed = await harness.Backend.ListAsync(CancellationToken.None);
            var held = harness.Run(launch.RunId).Read();
            if (Now() >= notBefore)
            {
                return false;
            }

            // Seen before the due time: it must have been waiting then.
            var waiting = Assert.Single(listed, r => r.RunId == launch.RunId);
            var report = await harness.WaitForAsync(launch.RunId, r => r.Phase == BackendRunPhase.Exited);
            var started = harness.Started(launch.RunId);

            Assert.Equal((BackendRunPhase.Waiting, (DateTimeOffset?)null), (waiting.Phase, waiting.StartedAt));
            Assert.Null(held.Started);
            Assert.NotNull(held.Waiting);
            Assert.Equal((started.Pid, started.ShepherdPid, started.ShepherdStartTime), (waiting.Pid, held.Waiting.ShepherdPid, held.Waiting.ShepherdStartTime));
            Assert.Equal(notBefore, held.Waiting.NotBefore);
            Assert.True(started.StartedAt >= notBefore, $"started at {started.StartedAt:O}, before its due time {notBefore:O}");
            Assert.Equal((0, started.StartedAt, started.Pid), (report.ExitCode, report.StartedAt, report.Pid));
            var ranAt = decimal.Parse((await File.ReadAllTextAsync(stdout)).Trim(), CultureInfo.InvariantCulture);
            output.WriteLine($"due {UnixSeconds(notBefore)}, started record {UnixSeconds(started.StartedAt!.Value)}, the command's own clock {ranAt}");
            Assert.True(ranAt >= UnixSeconds(notBefore), $"the command ran at {ranAt}, before its due time {UnixSeconds(notBefore)}");
            return true;
        });
    }

    [RootFact]
    public async Task A_waiting_run_that_is_stopped_ends_without_its_command_having_run_and_leaves_nothing()
    {
        await using var harness = new BackendHarness(user, output);
        var marker = Path.Combine(harness.Work, "marker");
        var launch = harness.Launch($"touch {marker}") with { NotBefore = Now() + FarAhead };
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var held = harness.Run(launch.RunId).Read().Waiting;
        Assert.NotNull(held);
        Assert.NotEmpty(held.CgroupDirectories);
        Assert.All(held.CgroupDirectories, d => Assert.True(Directory.Exists(d), $"{d} is not made while the run waits"));

        // Ends long before its due time: the wait below only catches hangs.
        await harness.Backend.StopAsync(launch.RunId, TimeSpan.FromSeconds(5), CancellationToken.None);
        var report = await harness.WaitForAsync(launch.RunId, r => r.Phase == BackendRunPhase.Exited);

        Assert.Equal((15, false, "stopped before it started"), (report.Signal, report.StartFailed, report.Message));
        Assert.Equal(((int?)null, (DateTimeOffset?)null), (report.Pid, report.StartedAt));
        Assert.Null(harness.Run(launch.RunId).Read().Started);
        Assert.NotNull(held.Pid);

        // The exit record comes before the shepherd's own exit: it is gone soon after, not at once.
        await BackendHarness.WaitUntilAsync(() => BackendHarness.IsGone(held.ShepherdPid) && BackendHarness.IsGone(held.Pid.Value), "the shepherd and the job process to be gone");
        Assert.Empty(harness.LiveProcessesOfUser());
        Assert.All(held.CgroupDirectories, d => Assert.False(Directory.Exists(d), $"{d} is left"));

        // Its job process is gone (above): the command can no longer run, and did not.
        Assert.False(File.Exists(marker));
    }

    [RootFact]
    public async Task A_new_backend_over_the_same_directory_reports_a_waiting_run_which_still_starts_at_its_due_time()
    {
        await using var harness = new BackendHarness(user, output);
        await HeldLongEnoughAsync(async (hold, attempt) =>
        {
            var stdout = Path.Combine(harness.Work, $"adopted-{attempt}.out");
            var notBefore = Now() + hold;
            var launch = harness.Launch("echo ran", stdout: stdout) with { NotBefore = notBefore };
            var backend = harness.NewBackend();
            await backend.StartAsync(launch, CancellationToken.None);
            await backend.DisposeAsync();

            var adopter = harness.NewBackend();
            var listed = await adopter.ListAsync(CancellationToken.None);
            if (Now() >= notBefore)
            {
                return false;
            }

            await adopter.StartAsync(launch, CancellationToken.None);
            var report = await harness.WaitForAsync(launch.RunId, r => r.Phase == BackendRunPhase.Exited, adopter);

            Assert.Equal(BackendRunPhase.Waiting, Assert.Single(listed, r => r.RunId == launch.RunId).Phase);
            Assert.Equal(0, report.ExitCode);
            Assert.True(report.StartedAt >= notBefore, $"started at {report.StartedAt:O}, before its due time {notBefore:O}");
            Assert.Equal("ran\n", await File.ReadAllTextAsync(stdout));
            return true;
        });
    }

    [RootFact]
    public async Task A_run_whose_due_time_has_passed_starts_at_once()
    {
        await using var harness = new BackendHarness(user, output);
        var launch = harness.Launch("true") with { NotBefore = Now().AddSeconds(-10) };

        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var state = harness.Run(launch.RunId).Read();
        var report = await harness.WaitForAsync(launch.RunId, r => r.Phase == BackendRunPhase.Exited);

        // Started when StartAsync returned: never held.
        Assert.NotNull(state.Started);
        Assert.Null(state.Waiting);
        Assert.Equal((0, false), (report.ExitCode, report.StartFailed));
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> with a due time 2 s ahead, then 4, 8, 16 and 32 s, until an
    /// attempt is conclusive: it returns false when the test could not look at the held run before
    /// its due time (a busy machine), and only then is the next, longer hold tried. A run that is
    /// never held fails every attempt; a slow machine only makes the test wait longer.
    /// </summary>
    private async Task HeldLongEnoughAsync(Func<TimeSpan, int, Task<bool>> attempt)
    {
        var hold = TimeSpan.FromSeconds(2);
        for (var number = 1; ; number++, hold *= 2)
        {
            if (await attempt(hold, number))
            {
                return;
            }

            output.WriteLine($"attempt {number}: the run was due before the test could look at it ({hold.TotalSeconds} s ahead); trying a longer hold");
            Assert.True(hold < TimeSpan.FromSeconds(32), "the machine never let the test look at a run before its due time, 32 s ahead");
        }
    }

    private static DateTimeOffset Now() => TimeProvider.System.GetUtcNow();

    private static decimal UnixSeconds(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks / (decimal)TimeSpan.TicksPerSecond;
}
