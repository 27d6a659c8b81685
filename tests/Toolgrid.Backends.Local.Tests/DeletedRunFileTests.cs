using Toolgrid.Backends.Local.Cgroups;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Core.Backends;
using Toolgrid.Native;
using Xunit.Abstractions;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>
/// A run file deleted under a live run (by hand, by a clean-up script): the run is still the
/// backend's, with real shepherds and cgroups. Nothing is reported lost while it runs, its real
/// end is reported, and a copy nobody can watch any more is stopped, never left running.
/// </summary>
[Collection(RealRuns.Name)]
public sealed class DeletedRunFileTests(ToolUserFixture user, ITestOutputHelper output) : IClassFixture<ToolUserFixture>
{
    [RootFact]
    public async Task A_run_whose_file_is_deleted_is_still_listed_running_and_a_stop_ends_it_and_empties_its_cgroups()
    {
        await using var harness = new BackendHarness(user, output);
        var (launch, started) = await StartSleeperAsync(harness);
        await harness.WaitForAsync(launch.RunId, r => r.Phase == BackendRunPhase.Running);

        File.Delete(harness.Run(launch.RunId).Path);
        var listed = await harness.Backend.ListAsync(CancellationToken.None);

        var report = Assert.Single(listed, r => r.RunId == launch.RunId);
        Assert.Equal((BackendRunPhase.Running, started.Pid), (report.Phase, report.Pid));
        Assert.Contains(started.Pid, CgroupKiller.Pids(started.CgroupDirectories));

        await AssertStopsAsync(harness, harness.Backend, launch.RunId, started.Pid);
        Assert.Empty(CgroupKiller.Pids(started.CgroupDirectories));
        await harness.Backend.ForgetAsync(launch.RunId, CancellationToken.None);
        Assert.DoesNotContain(await harness.Backend.ListAsync(CancellationToken.None), r => r.RunId == launch.RunId);
    }

    [RootFact]
    public async Task A_run_that_ends_after_its_file_was_deleted_reports_its_real_exit_and_its_file_is_restored()
    {
        await using var harness = new BackendHarness(user, output);
        var go = Path.Combine(harness.Work, "go");
        var launch = harness.Launch($"while [ ! -e {go} ]; do sleep 0.05; done; exit 7");
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        await harness.WaitForAsync(launch.RunId, r => r.Phase == BackendRunPhase.Running);

        File.Delete(harness.Run(launch.RunId).Path);
        await File.WriteAllTextAsync(go, "");
        var end = await harness.WaitForEndAsync(launch.RunId);

        Assert.Equal((BackendRunPhase.Exited, 7), (end.Phase, end.ExitCode));
        Assert.Equal(7, harness.Run(launch.RunId).Read().Exit?.ExitCode);
    }

    [RootFact]
    public async Task A_new_backend_adopts_a_run_whose_file_was_deleted_from_its_shepherd_with_or_without_cgroups_and_stops_it()
    {
        foreach (var cgroups in new[] { true, false })
        {
            await using var harness = new BackendHarness(user, output, o => o.UseCgroups = cgroups);
            var (launch, started) = await StartSleeperAsync(harness);
            await harness.Backend.DisposeAsync();
            File.Delete(harness.Run(launch.RunId).Path);

            var adopter = harness.NewBackend();
            var report = Assert.Single(await adopter.ListAsync(CancellationToken.None));

            Assert.Equal((launch.RunId, BackendRunPhase.Running, started.Pid), (report.RunId, report.Phase, report.Pid));
            await AssertStopsAsync(harness, adopter, launch.RunId, started.Pid);
            Assert.Empty(CgroupKiller.Pids(started.CgroupDirectories));
        }
    }

    [RootFact]
    public async Task A_backend_that_never_saw_a_run_finds_it_by_its_cgroup_when_its_file_is_deleted()
    {
        await using var harness = new BackendHarness(user, output);
        var (launch, started) = await StartSleeperAsync(harness);
        var other = harness.NewBackend();
        File.Delete(harness.Run(launch.RunId).Path);

        var report = Assert.Single(await other.ListAsync(CancellationToken.None));

        Assert.Equal((launch.RunId, BackendRunPhase.Running, started.Pid), (report.RunId, report.Phase, report.Pid));
        Assert.Contains(started.Pid, CgroupKiller.Pids(started.CgroupDirectories));
    }

    [RootFact]
    public async Task A_run_whose_file_was_moved_aside_in_its_directory_is_adopted_by_a_new_backend_not_taken_for_an_orphan()
    {
        await using var harness = new BackendHarness(user, output);
        var (launch, started) = await StartSleeperAsync(harness);
        await harness.Backend.DisposeAsync();
        File.Move(harness.Run(launch.RunId).Path, harness.Run(launch.RunId).Path + ".bak");

        var adopter = harness.NewBackend();
        var report = Assert.Single(await adopter.ListAsync(CancellationToken.None));

        Assert.Equal((launch.RunId, BackendRunPhase.Running, started.Pid), (report.RunId, report.Phase, report.Pid));
        await AssertStopsAsync(harness, adopter, launch.RunId, started.Pid);
        Assert.Equal(15, harness.Run(launch.RunId).Read().Exit?.Signal);
    }

    [RootFact]
    public async Task Processes_in_a_run_cgroup_that_no_run_file_or_shepherd_owns_are_stopped_and_the_run_is_reported_lost()
    {
        await using var harness = new BackendHarness(user, output);
        var (launch, started) = await StartSleeperAsync(harness);
        await harness.Backend.DisposeAsync();
        File.Delete(harness.Run(launch.RunId).Path);
        Assert.Equal(0, LibC.Kill(started.ShepherdPid, LibC.SigKill));
        await BackendHarness.WaitUntilAsync(() => BackendHarness.IsGone(started.ShepherdPid), "the killed shepherd is gone");

        var sweeper = harness.NewBackend();
        var report = Assert.Single(await sweeper.ListAsync(CancellationToken.None));

        Assert.Equal((launch.RunId, BackendRunPhase.Lost), (report.RunId, report.Phase));
        Assert.Contains("run file was deleted", report.Message, StringComparison.Ordinal);
        Assert.True(BackendHarness.IsGone(started.Pid), "a run nobody can watch any more was left running");
        Assert.All(started.CgroupDirectories, d => Assert.False(Directory.Exists(d), $"{d} is left"));
        Assert.Empty(await sweeper.ListAsync(CancellationToken.None));
    }

    private static async Task<(RunLaunch Launch, StartedRecord Started)> StartSleeperAsync(BackendHarness harness)
    {
        var launch = harness.Launch("sleep 300");
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        return (launch, harness.Started(launch.RunId));
    }

    /// <summary>Stops the run through <paramref name="backend"/> and checks that it ended as stopped, its command gone.</summary>
    private static async Task AssertStopsAsync(BackendHarness harness, LocalBackend backend, long runId, int pid)
    {
        await backend.StopAsync(runId, TimeSpan.FromSeconds(1), CancellationToken.None);
        var end = await harness.WaitForEndAsync(runId, backend);
        Assert.Equal((BackendRunPhase.Exited, 15), (end.Phase, end.Signal));
        Assert.True(BackendHarness.IsGone(pid), "the stopped run's command still runs");
    }
}
