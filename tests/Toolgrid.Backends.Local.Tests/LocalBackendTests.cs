using System.Diagnostics;
using System.Globalization;
using Toolgrid.Backends.Local.Cgroups;
using Toolgrid.Backends.Local.Native;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Core.Backends;
using Toolgrid.Native;
using Toolgrid.Native.Users;
using Xunit.Abstractions;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>The local backend with real shepherds, real processes under a real Unix user, real cgroups.</summary>
[Collection(RealRuns.Name)]
public sealed class LocalBackendTests(ToolUserFixture user, ITestOutputHelper output) : IClassFixture<ToolUserFixture>
{
    [RootFact]
    public async Task A_run_executes_as_the_tool_user_in_its_home_with_a_clean_environment_and_output_appended()
    {
        await using var harness = new BackendHarness(user, output);
        var stdout = Path.Combine(harness.Work, "logs", "job.out");
        var stderr = Path.Combine(harness.Work, "logs", "job.err");
        var launch = harness.Launch(
            "id -u; id -g; pwd; echo \"$HOME $USER $LOGNAME $SHELL $PATH $LANG $GREETING\"; umask; id -G; echo oops >&2",
            stdout: stdout,
            stderr: stderr,
            environment: new Dictionary<string, string> { ["GREETING"] = "hello world" });

        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var report = await harness.WaitForEndAsync(launch.RunId);
        await harness.Backend.StartAsync(harness.Launch("echo second run", stdout: stdout, stderr: stderr), CancellationToken.None);
        await harness.WaitForEndAsync(launch.RunId + 1);

        Assert.Equal(BackendRunPhase.Exited, report.Phase);
        Assert.Equal(0, report.ExitCode);
        Assert.NotNull(report.Pid);
        Assert.NotNull(report.StartedAt);
        Assert.True(report.FinishedAt >= report.StartedAt);
        var lines = await File.ReadAllLinesAsync(stdout);
        Assert.Equal(
            [
                user.Uid.ToString(CultureInfo.InvariantCulture),
                user.Gid.ToString(CultureInfo.InvariantCulture),
                user.Home,
                $"{user.Home} {user.Name} {user.Name} /bin/sh /usr/local/bin:/usr/bin:/bin C.UTF-8 hello world",
                "0002",
                "second run",
            ],
            lines.Where((_, i) => i != 5));
        Assert.Equal([user.Gid, user.ExtraGid], lines[5].Split(' ').Select(g => int.Parse(g, CultureInfo.InvariantCulture)).Order());
        Assert.Equal("oops\n", await File.ReadAllTextAsync(stderr));
        var info = new FileInfo(stdout);
        Assert.Equal(user.Uid.ToString(CultureInfo.InvariantCulture), Command.Run("stat", "-c", "%u", stdout).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, info.UnixFileMode);
        Assert.Empty(harness.Backend.Warnings);
        Assert.NotEqual(CgroupVersion.None, harness.Backend.CgroupVersion);
    }

    [RootFact]
    public async Task An_exit_code_and_a_signal_are_reported()
    {
        await using var harness = new BackendHarness(user, output);
        var exits = harness.Launch("exit 3");
        var killed = harness.Launch("kill -9 $$");

        await harness.Backend.StartAsync(exits, CancellationToken.None);
        await harness.Backend.StartAsync(killed, CancellationToken.None);
        var exited = await harness.WaitForEndAsync(exits.RunId);
        var signaled = await harness.WaitForEndAsync(killed.RunId);

        Assert.Equal((BackendRunPhase.Exited, 3, (int?)null, false), (exited.Phase, exited.ExitCode, exited.Signal, exited.StartFailed));
        Assert.Equal((BackendRunPhase.Exited, (int?)null, 9, false), (signaled.Phase, signaled.ExitCode, signaled.Signal, signaled.StartFailed));
    }

    [RootFact]
    public async Task An_output_file_the_tool_cannot_write_is_a_start_failure_that_says_why()
    {
        await using var harness = new BackendHarness(user, output);
        var rootOnly = Path.Combine(user.Root, "root-only-" + harness.CgroupParent);
        Directory.CreateDirectory(rootOnly);
        try
        {
            var stdout = Path.Combine(rootOnly, "job.out");
            var launch = harness.Launch("echo never", stdout: stdout);

            await harness.Backend.StartAsync(launch, CancellationToken.None);
            var report = Assert.Single(await harness.Backend.ListAsync(CancellationToken.None));

            Assert.Equal(BackendRunPhase.Exited, report.Phase);
            Assert.True(report.StartFailed);
            Assert.Equal($"cannot open {stdout} for writing as {user.Name}: Permission denied", report.Message);
            Assert.False(File.Exists(stdout));
            Assert.Empty(harness.LiveProcessesOfUser());
        }
        finally
        {
            Directory.Delete(rootOnly);
        }
    }

    [RootFact]
    public async Task A_missing_home_and_a_missing_shepherd_program_are_start_failures()
    {
        await using var harness = new BackendHarness(user, output);
        var noHome = harness.Launch("true") with { Home = "/nonexistent/home" };
        await harness.Backend.StartAsync(noHome, CancellationToken.None);

        await using var broken = new BackendHarness(user, output, o => o.ShepherdPath = "/nonexistent/tg-shepherd");
        var launch = broken.Launch("true");
        await broken.Backend.StartAsync(launch, CancellationToken.None);

        var homeless = Assert.Single(await harness.Backend.ListAsync(CancellationToken.None));
        Assert.True(homeless.StartFailed);
        Assert.Equal($"cannot change to the home directory /nonexistent/home as {user.Name}: No such file or directory", homeless.Message);
        var report = Assert.Single(await broken.Backend.ListAsync(CancellationToken.None));
        Assert.True(report.StartFailed);
        Assert.Contains("/nonexistent/tg-shepherd", report.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task A_memory_hog_ends_out_of_memory_while_a_sibling_run_goes_on_unharmed()
    {
        await using var harness = new BackendHarness(user, output);
        var hog = harness.Launch("/usr/bin/python3 -c \"b=bytearray(300*1024*1024); import time; time.sleep(5)\"", memoryBytes: 64L * 1024 * 1024);
        var hogEnded = Path.Combine(harness.Work, "hog-ended");
        var sibling = harness.Launch(WaitFor(hogEnded) + "; echo fine", stdout: Path.Combine(harness.Work, "sibling.out"));

        // The sibling runs until the test has seen the hog end: it lived through the OOM kill.
        await harness.Backend.StartAsync(sibling, CancellationToken.None);
        await harness.Backend.StartAsync(hog, CancellationToken.None);
        var hogEnd = await harness.WaitForEndAsync(hog.RunId);
        await File.WriteAllTextAsync(hogEnded, "");
        var siblingEnd = await harness.WaitForEndAsync(sibling.RunId);

        Assert.True(hogEnd.OutOfMemory, $"the hog ended with exit code {hogEnd.ExitCode}, signal {hogEnd.Signal}");
        output.WriteLine($"hog: exit code {hogEnd.ExitCode}, signal {hogEnd.Signal}, {hogEnd.Message}");
        Assert.False(siblingEnd.OutOfMemory);
        Assert.Equal(0, siblingEnd.ExitCode);
        Assert.Equal("fine\n", await File.ReadAllTextAsync(Path.Combine(harness.Work, "sibling.out")));
    }

    [RootFact]
    public async Task A_fork_bomb_is_contained_by_its_process_limit_and_stopping_it_empties_its_cgroup()
    {
        await using var harness = new BackendHarness(user, output);
        var bomb = harness.Launch("f() { f | f & }; f; while :; do :; done", maxProcesses: 32, cpuMillis: 200, grace: TimeSpan.FromMilliseconds(500));

        await harness.Backend.StartAsync(bomb, CancellationToken.None);
        var pids = harness.Started(bomb.RunId).CgroupDirectories.Single(d => File.Exists(Path.Combine(d, "pids.max")));

        // Contained means a fork was refused at the limit: the cgroup counts each refusal (pids.events "max N").
        var refused = await WaitForForkRefusedAsync(pids);
        var current = int.Parse(await File.ReadAllTextAsync(Path.Combine(pids, "pids.current")), CultureInfo.InvariantCulture);
        var max = (await File.ReadAllTextAsync(Path.Combine(pids, "pids.max"))).Trim();
        output.WriteLine($"forks refused at the limit: {refused}; processes in the cgroup: {current}");
        await harness.Backend.StopAsync(bomb.RunId, TimeSpan.FromMilliseconds(500), CancellationToken.None);
        var report = await harness.WaitForEndAsync(bomb.RunId);

        Assert.Equal("32", max);
        Assert.InRange(current, 1, 32);
        Assert.Equal(BackendRunPhase.Exited, report.Phase);
        Assert.NotNull(report.Signal);
        Assert.All(harness.Started(bomb.RunId).CgroupDirectories, d => Assert.False(Directory.Exists(d), $"{d} is left"));
        Assert.Empty(harness.LiveProcessesOfUser());
    }

    [RootFact]
    public async Task Stopping_a_job_that_ignores_SIGTERM_kills_it_after_the_grace_period_with_its_whole_process_tree()
    {
        await using var harness = new BackendHarness(user, output);
        var stdout = Path.Combine(harness.Work, "stubborn.out");
        var stubborn = harness.Launch("trap '' TERM; sleep 300 & echo $!; while :; do sleep 1; done", stdout: stdout);

        await harness.Backend.StartAsync(stubborn, CancellationToken.None);
        var background = await ReadPidAsync(stdout);
        var main = harness.Started(stubborn.RunId).Pid;
        var grace = TimeSpan.FromSeconds(1);
        var asked = TimeProvider.System.GetUtcNow();
        await harness.Backend.StopAsync(stubborn.RunId, grace, CancellationToken.None);
        var report = await harness.WaitForEndAsync(stubborn.RunId);

        Assert.Equal(BackendRunPhase.Exited, report.Phase);
        Assert.Equal(9, report.Signal);

        // The shepherd's own record of the end: no earlier than the grace period after the stop was asked (a lower bound, which a busy machine only makes later).
        Assert.True(report.FinishedAt >= asked + grace, $"ended at {report.FinishedAt:O}, before the grace period after {asked:O}");
        Assert.True(BackendHarness.IsGone(main), "the job is left");
        Assert.True(BackendHarness.IsGone(background), "the job's background child is left");
        Assert.Empty(harness.LiveProcessesOfUser());
    }

    [RootFact]
    public async Task A_daemonized_child_does_not_outlive_its_run()
    {
        await using var harness = new BackendHarness(user, output);
        var stdout = Path.Combine(harness.Work, "daemon.out");
        // The run ends once the daemon has written its pid (its output is the run's), not after a guessed while.
        var launch = harness.Launch($"setsid sh -c 'echo $$; exec sleep 300' & until [ -s {stdout} ]; do sleep 0.05; done", stdout: stdout);

        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var report = await harness.WaitForEndAsync(launch.RunId);

        Assert.Equal(0, report.ExitCode);
        Assert.True(BackendHarness.IsGone(await ReadPidAsync(stdout)), "the daemon outlived its run");
        Assert.Empty(harness.LiveProcessesOfUser());
    }

    [RootFact]
    public async Task A_run_past_its_timeout_ends_as_timed_out()
    {
        await using var harness = new BackendHarness(user, output);
        var launch = harness.Launch("sleep 30", timeout: TimeSpan.FromSeconds(1), grace: TimeSpan.FromMilliseconds(500));

        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var report = await harness.WaitForEndAsync(launch.RunId);

        Assert.Equal(BackendRunPhase.Exited, report.Phase);
        Assert.True(report.TimedOut);
        Assert.Equal(15, report.Signal);
        Assert.Equal("ran past its timeout of 1.000 s and was stopped", report.Message);
    }

    [RootFact]
    public async Task A_new_backend_over_the_same_directory_readopts_a_running_run_and_reports_its_exit_once()
    {
        await using var harness = new BackendHarness(user, output);
        var go = Path.Combine(harness.Work, "go");
        var launch = harness.Launch(WaitFor(go));
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var before = Assert.Single(await harness.Backend.ListAsync(CancellationToken.None));
        await harness.Backend.DisposeAsync();

        var adopter = harness.NewBackend();
        var after = Assert.Single(await adopter.ListAsync(CancellationToken.None));
        using var watching = new CancellationTokenSource(BackendHarness.Patience);
        await using var reports = new ReportReader(adopter, watching.Token);
        await File.WriteAllTextAsync(go, "");
        var exit = await reports.NextAsync(r => r.RunId == launch.RunId && r.Phase == BackendRunPhase.Exited);

        // Not reported again: two rescans that began after the exit was reported have gone by,
        // each proven by a run that only a rescan can find lost (its shepherd killed, nobody left
        // to notify). The second began after the first had ended, and each rescan looks at every
        // run, so whatever the first said of the exited run was read before the second's report.
        await RescanAsync(harness, adopter, reports);
        await RescanAsync(harness, adopter, reports);

        Assert.Equal(BackendRunPhase.Running, before.Phase);
        Assert.Equal((BackendRunPhase.Running, before.Pid, before.StartedAt), (after.Phase, after.Pid, after.StartedAt));
        Assert.Equal((launch.RunId, 0, before.Pid), (exit.RunId, exit.ExitCode, exit.Pid));
        Assert.Single(reports.Seen, r => r.RunId == launch.RunId && r.Phase == BackendRunPhase.Exited);
        Assert.DoesNotContain(reports.Seen, r => r.RunId == launch.RunId && r.Phase != BackendRunPhase.Running && r.Phase != BackendRunPhase.Exited);
    }

    [RootFact]
    public async Task Starting_the_same_run_id_again_or_at_the_same_time_starts_it_once()
    {
        await using var harness = new BackendHarness(user, output);
        var count = Path.Combine(harness.Work, "count");
        var once = harness.Launch($"echo once >> {count}");
        var together = harness.Launch($"echo together >> {count}");

        await harness.Backend.StartAsync(once, CancellationToken.None);
        await harness.Backend.StartAsync(once, CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => harness.Backend.StartAsync(together, CancellationToken.None)));
        await harness.WaitForEndAsync(once.RunId);
        await harness.WaitForEndAsync(together.RunId);
        await harness.Backend.StartAsync(once, CancellationToken.None);

        Assert.Equal(["once", "together"], (await File.ReadAllLinesAsync(count)).Order(StringComparer.Ordinal));
    }

    [RootFact]
    public async Task A_run_whose_start_never_happened_is_not_listed_and_starts_once_when_started_again()
    {
        await using var harness = new BackendHarness(user, output);
        var count = Path.Combine(harness.Work, "count");
        var launch = harness.Launch($"echo started >> {count}");
        WriteRunFileWithoutLaunching(harness, launch);

        Assert.Empty(await harness.Backend.ListAsync(CancellationToken.None));
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var report = await harness.WaitForEndAsync(launch.RunId);

        Assert.Equal(0, report.ExitCode);
        Assert.Equal(["started"], await File.ReadAllLinesAsync(count));
    }

    [RootFact]
    public async Task A_run_stopped_before_its_start_happened_never_starts()
    {
        await using var harness = new BackendHarness(user, output);
        var marker = Path.Combine(harness.Work, "marker");
        var launch = harness.Launch($"touch {marker}");
        WriteRunFileWithoutLaunching(harness, launch);

        await harness.Backend.StopAsync(launch.RunId, TimeSpan.FromSeconds(1), CancellationToken.None);
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var report = Assert.Single(await harness.Backend.ListAsync(CancellationToken.None));

        Assert.Equal((BackendRunPhase.Exited, 15, false), (report.Phase, report.Signal, report.StartFailed));
        Assert.Equal("stopped before it started", report.Message);
        Assert.False(File.Exists(marker));
    }

    [RootFact]
    public async Task A_run_stopped_before_its_start_happened_never_starts_even_after_a_start_cut_short()
    {
        await using var harness = new BackendHarness(user, output);
        var marker = Path.Combine(harness.Work, "marker");
        var launch = harness.Launch($"touch {marker}");
        WriteRunFileWithoutLaunching(harness, launch, StartedRecordCutShort);

        await harness.Backend.StopAsync(launch.RunId, TimeSpan.FromSeconds(1), CancellationToken.None);
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var report = Assert.Single(await harness.Backend.ListAsync(CancellationToken.None));

        Assert.Equal((BackendRunPhase.Exited, 15, "stopped before it started"), (report.Phase, report.Signal, report.Message));
        Assert.False(File.Exists(marker));
    }

    [RootFact]
    public async Task A_start_whose_started_record_a_crash_cut_short_is_not_listed_and_starts_once_when_started_again()
    {
        await using var harness = new BackendHarness(user, output);
        var count = Path.Combine(harness.Work, "count");
        var launch = harness.Launch($"echo started >> {count}");
        WriteRunFileWithoutLaunching(harness, launch, StartedRecordCutShort);

        Assert.Empty(await harness.Backend.ListAsync(CancellationToken.None));
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var report = await harness.WaitForEndAsync(launch.RunId);
        await harness.Backend.StartAsync(launch, CancellationToken.None);

        Assert.Equal((BackendRunPhase.Exited, 0), (report.Phase, report.ExitCode));
        Assert.Equal(["started"], await File.ReadAllLinesAsync(count));
        Assert.Contains($"cut off an unfinished record of {StartedRecordCutShort.Length} bytes", await File.ReadAllTextAsync(harness.Run(launch.RunId).LogPath), StringComparison.Ordinal);
    }

    [RootFact]
    public async Task A_run_directory_of_the_earlier_protocol_is_readopted_stopped_and_forgotten()
    {
        await using var harness = new BackendHarness(user, output);
        var runId = harness.NextRunId();
        var directory = Path.Combine(harness.RunDirectory, runId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "spec"), "tg-shepherd-spec 1\0run_id\0" + runId.ToString(CultureInfo.InvariantCulture) + "\0");
        File.WriteAllBytes(Path.Combine(directory, "lock"), []);

        // As a shepherd of the earlier version leaves it while its run runs: the lock held, "started"
        // written. A sleep stands for that shepherd, so that the stop's SIGTERM has somewhere to go.
        using var shepherd = Process.Start("sleep", "30");
        using (var shepherdLock = RunLock.TryTake(Path.Combine(directory, "lock")))
        {
            Assert.NotNull(shepherdLock);
            File.WriteAllText(
                Path.Combine(directory, "started"),
                $"version=1\nrun_id={runId}\npid={shepherd.Id}\nstarted_at_ns=1700000000000000000\nshepherd_pid={shepherd.Id}\n" +
                $"shepherd_start_time={ProcStat.StartTime(shepherd.Id)}\ncgroups=none\nwarning=\n");
            var running = Assert.Single(await harness.Backend.ListAsync(CancellationToken.None));
            Assert.Equal((BackendRunPhase.Running, shepherd.Id), (running.Phase, running.Pid));

            await harness.Backend.StopAsync(runId, TimeSpan.FromSeconds(3), CancellationToken.None);
            await shepherd.WaitForExitAsync();
            Assert.Equal("3000\n", await File.ReadAllTextAsync(Path.Combine(directory, "stop")));
            File.WriteAllText(
                Path.Combine(directory, "exit"),
                $"version=1\nrun_id={runId}\npid={shepherd.Id}\nstarted_at_ns=1700000000000000000\nfinished_at_ns=1700000001000000000\n" +
                "exit_code=\nsignal=15\noom=0\ntimed_out=0\nstopped=1\nstart_failed=0\ncgroups=none\nmessage=stopped\n");
        }

        var exited = Assert.Single(await harness.Backend.ListAsync(CancellationToken.None));
        await harness.Backend.ForgetAsync(runId, CancellationToken.None);

        Assert.Equal((BackendRunPhase.Exited, 15, "stopped"), (exited.Phase, exited.Signal, exited.Message));
        Assert.Equal(128 + LibC.SigTerm, shepherd.ExitCode);
        Assert.False(Directory.Exists(directory));
        Assert.Empty(await harness.Backend.ListAsync(CancellationToken.None));
    }

    [RootFact]
    public async Task A_run_directory_of_the_earlier_protocol_whose_start_never_happened_is_ended_not_started()
    {
        await using var harness = new BackendHarness(user, output);
        var marker = Path.Combine(harness.Work, "marker");
        var launch = harness.Launch($"touch {marker}");
        var directory = Path.Combine(harness.RunDirectory, launch.RunId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "spec"), "tg-shepherd-spec 1\0");
        File.WriteAllBytes(Path.Combine(directory, "lock"), []);

        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var report = Assert.Single(await harness.Backend.ListAsync(CancellationToken.None));

        Assert.Equal((BackendRunPhase.Exited, true), (report.Phase, report.StartFailed));
        Assert.Contains("earlier version of toolgridd", report.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [RootFact]
    public async Task A_run_whose_shepherd_died_is_lost_and_its_processes_are_killed()
    {
        await using var harness = new BackendHarness(user, output);
        var launch = harness.Launch("sleep 300");
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var started = harness.Started(launch.RunId);

        Assert.Equal(0, LibC.Kill(started.ShepherdPid, LibC.SigKill));
        var report = await harness.WaitForEndAsync(launch.RunId);

        Assert.Equal(BackendRunPhase.Lost, report.Phase);
        Assert.Equal(started.Pid, report.Pid);
        Assert.True(BackendHarness.IsGone(started.Pid), "the run's command outlived its lost shepherd");
        Assert.All(started.CgroupDirectories, d => Assert.False(Directory.Exists(d), $"{d} is left"));
    }

    /// <summary>
    /// The watch says a shepherd died when it dies, not at the next rescan: with a rescan far
    /// longer than the test's patience, the lost report comes through the watch all the same
    /// (the shepherd's process descriptor), and so does an ordinary end.
    /// </summary>
    [RootFact]
    public async Task The_watch_reports_a_dead_shepherd_at_once_without_waiting_for_a_rescan()
    {
        await using var harness = new BackendHarness(user, output, options => options.RescanInterval = TimeSpan.FromHours(1));
        await using var reports = new ReportReader(harness.Backend, CancellationToken.None);
        var victim = harness.Launch("sleep 300");
        var ending = harness.Launch("sleep 1");
        await harness.Backend.StartAsync(victim, CancellationToken.None);
        await harness.Backend.StartAsync(ending, CancellationToken.None);
        await reports.NextAsync(r => r.RunId == victim.RunId && r.Phase == BackendRunPhase.Running);
        var started = harness.Started(victim.RunId);

        Assert.Equal(0, LibC.Kill(started.ShepherdPid, LibC.SigKill));

        using var patience = new CancellationTokenSource(BackendHarness.Patience);
        var lost = await reports.NextAsync(r => r.RunId == victim.RunId && r.Phase != BackendRunPhase.Running).WaitAsync(patience.Token);
        Assert.Equal(BackendRunPhase.Lost, lost.Phase);
        var ended = await reports.NextAsync(r => r.RunId == ending.RunId && r.Phase == BackendRunPhase.Exited).WaitAsync(patience.Token);
        Assert.Equal(0, ended.ExitCode);
    }

    /// <summary>
    /// A rescan does not read the files of a run seen running whose shepherd is watched (its end
    /// comes through the watch), and still reads the others: here an ended run left in the run
    /// directory, read by each rescan, which also proves that the rescans looked.
    /// </summary>
    [RootFact]
    public async Task A_rescan_leaves_alone_the_runs_whose_shepherds_are_watched_and_reads_the_rest()
    {
        await using var harness = new BackendHarness(user, output);
        await using var reports = new ReportReader(harness.Backend, CancellationToken.None);
        var ended = harness.Launch("true");
        var running = harness.Launch("sleep 300");
        await harness.Backend.StartAsync(ended, CancellationToken.None);
        await reports.NextAsync(r => r.RunId == ended.RunId && r.Phase == BackendRunPhase.Exited);
        await harness.Backend.StartAsync(running, CancellationToken.None);
        await reports.NextAsync(r => r.RunId == running.RunId && r.Phase == BackendRunPhase.Running);

        // Two rescans that began after the run was seen running and watched.
        var seen = harness.Backend.LastRescan.Number;
        await BackendHarness.WaitUntilAsync(() => harness.Backend.LastRescan.Number >= seen + 2, "two more rescans");
        var rescan = harness.Backend.LastRescan;

        Assert.Contains(ended.RunId, rescan.Read);
        Assert.DoesNotContain(running.RunId, rescan.Read);
        var listed = await harness.Backend.ListAsync(CancellationToken.None);
        Assert.Contains(listed, r => r.RunId == running.RunId && r.Phase == BackendRunPhase.Running);
    }

    [RootFact]
    public async Task SIGKILL_to_the_whole_process_group_that_launched_a_shepherd_does_not_touch_its_run()
    {
        await using var harness = new BackendHarness(user, output);
        var stdout = Path.Combine(harness.Work, "survivor.out");
        var killed = Path.Combine(harness.Work, "killed");
        var launch = harness.Launch(WaitFor(killed) + "; echo survived", stdout: stdout);
        WriteRunFileWithoutLaunching(harness, launch);

        // As toolgridd would be, started in its own session by a supervisor that then kills its whole process group.
        var startInfo = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in new[] { "sh", "-c", "\"$0\" \"$1\"; exec sleep 60", harness.Backend.ShepherdPath, harness.Run(launch.RunId).Path })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var launcher = Process.Start(startInfo)!;
        await harness.WaitForAsync(launch.RunId, r => r.Phase == BackendRunPhase.Running);
        Assert.Equal(0, LibC.Kill(-launcher.Id, LibC.SigKill));
        await launcher.WaitForExitAsync();

        // The run is still waiting for this when its launcher's group is killed: it outlived the kill.
        await File.WriteAllTextAsync(killed, "");
        var report = await harness.WaitForEndAsync(launch.RunId);

        Assert.Equal((BackendRunPhase.Exited, 0), (report.Phase, report.ExitCode));
        Assert.Equal("survived\n", await File.ReadAllTextAsync(stdout));
    }

    [RootFact]
    public async Task A_shepherd_outlives_its_launcher_and_takes_at_most_4_MB()
    {
        await using var harness = new BackendHarness(user, output);
        var launch = harness.Launch("sleep 30");
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var started = harness.Started(launch.RunId);

        var status = await File.ReadAllLinesAsync($"/proc/{started.ShepherdPid}/status");
        var rss = long.Parse(status.Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        var stat = await File.ReadAllTextAsync($"/proc/{started.ShepherdPid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        output.WriteLine($"shepherd {started.ShepherdPid}: VmRSS {rss} kB, parent {fields[1]}, session {fields[3]}");
        await harness.Backend.StopAsync(launch.RunId, TimeSpan.Zero, CancellationToken.None);
        await harness.WaitForEndAsync(launch.RunId);

        Assert.InRange(rss, 1, 4096);
        Assert.NotEqual(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), fields[1]);
        Assert.Equal(started.ShepherdPid.ToString(CultureInfo.InvariantCulture), fields[3]);
    }

    [RootFact]
    public async Task Many_short_runs_start_and_finish()
    {
        await using var harness = new BackendHarness(user, output);
        // How fast they go is the benchmark's to say (bench/run.sh); that they all go is this test's.
        const int Runs = 60;
        var launches = Enumerable.Range(0, Runs).Select(_ => harness.Launch("true")).ToList();

        await Parallel.ForEachAsync(launches, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (launch, token) => await harness.Backend.StartAsync(launch, token));
        foreach (var launch in launches)
        {
            await harness.WaitForEndAsync(launch.RunId);
        }

        var reports = await harness.Backend.ListAsync(CancellationToken.None);
        Assert.Equal(Runs, reports.Count(r => r.Phase == BackendRunPhase.Exited && r.ExitCode == 0));
    }

    [RootFact]
    public async Task Forgetting_an_ended_run_removes_it_and_the_node_is_this_host()
    {
        await using var harness = new BackendHarness(user, output, o => o.Queues.Add("big"));
        var launch = harness.Launch("true");
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        await harness.WaitForEndAsync(launch.RunId);

        await harness.Backend.ForgetAsync(launch.RunId, CancellationToken.None);
        var node = Assert.Single(await harness.Backend.GetNodesAsync(CancellationToken.None));

        Assert.Empty(await harness.Backend.ListAsync(CancellationToken.None));
        Assert.False(File.Exists(harness.Run(launch.RunId).Path));
        Assert.Equal((Environment.MachineName, true, 512), (node.Name, node.Up, node.Slots));
        Assert.Equal(["big"], node.Queues);
        Assert.Equal(Environment.ProcessorCount * 8000, node.CpuMillis);
        Assert.True(node.MemoryBytes > 0);

        // The host's own figures come with them, for toolgrid status to say how they came about.
        Assert.Equal(Environment.ProcessorCount * 1000, node.HostCpuMillis);
        Assert.Equal(node.MemoryBytes, node.HostMemoryBytes * 2);
    }

    /// <summary>A started record as a crash leaves it when it comes before the record was whole (the shepherd never let the command run).</summary>
    private static readonly byte[] StartedRecordCutShort = System.Text.Encoding.UTF8.GetBytes("started\u00001\u0000run_id\u00001\u0000pid\u000012");

    private static void WriteRunFileWithoutLaunching(BackendHarness harness, RunLaunch launch, params byte[][] more)
    {
        // What StartAsync leaves when toolgridd dies between creating the run's file and launching its shepherd.
        Assert.Null(ShepherdSpec.Validate(launch));
        var account = UserDatabase.Lookup(launch.UnixUser, launch.Uid, launch.Gid, withGroups: true, out var error);
        Assert.Null(error);
        var spec = ShepherdSpec.Build(launch, account!, new ShepherdSettings(true, harness.CgroupParent, harness.Backend.NotifySocketPath));
        Assert.True(RunFile.Create(harness.RunDirectory, launch.RunId, [spec, .. more]));
    }

    /// <summary>A shell command that waits until the test makes <paramref name="flag"/>: a run that lasts exactly as long as the test needs it to.</summary>
    private static string WaitFor(string flag) => $"until [ -e {flag} ]; do sleep 0.05; done";

    /// <summary>Waits until the pids cgroup has refused a fork at its limit; the count of refusals.</summary>
    private static async Task<long> WaitForForkRefusedAsync(string pidsCgroup)
    {
        using var patience = new CancellationTokenSource(BackendHarness.Patience);
        while (true)
        {
            // "max N": forks refused because the cgroup was at pids.max (cgroup v1 and v2 alike).
            var events = await File.ReadAllLinesAsync(Path.Combine(pidsCgroup, "pids.events"), patience.Token);
            var refused = events.Select(l => l.Split(' ')).Where(f => f.Length == 2 && f[0] == "max").Select(f => long.Parse(f[1], CultureInfo.InvariantCulture)).FirstOrDefault();
            if (refused > 0)
            {
                return refused;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, patience.Token);
        }
    }

    /// <summary>
    /// Proves that a whole rescan of <paramref name="backend"/> began and ended after this was
    /// called: a run whose shepherd is killed is found lost only by a rescan (no shepherd is left to
    /// notify), and every rescan looks at every run.
    /// </summary>
    private static async Task RescanAsync(BackendHarness harness, LocalBackend backend, ReportReader reports)
    {
        var marker = harness.Launch("sleep 300");
        await backend.StartAsync(marker, CancellationToken.None);
        await reports.NextAsync(r => r.RunId == marker.RunId && r.Phase == BackendRunPhase.Running);
        Assert.Equal(0, LibC.Kill(harness.Started(marker.RunId).ShepherdPid, LibC.SigKill));
        await reports.NextAsync(r => r.RunId == marker.RunId && r.Phase == BackendRunPhase.Lost);
    }

    private static async Task<int> ReadPidAsync(string path)
    {
        using var patience = new CancellationTokenSource(BackendHarness.Patience);
        while (true)
        {
            if (File.Exists(path) && int.TryParse((await File.ReadAllTextAsync(path, patience.Token)).Trim(), CultureInfo.InvariantCulture, out var pid))
            {
                return pid;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, patience.Token);
        }
    }
}
