using System.Diagnostics;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Health;
using Toolgrid.Native.Terminals;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.GridEngine.Tests;

/// <summary>The job script, run by /bin/sh here as SGE's shepherd would run it on a node.</summary>
public sealed class JobScriptTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tg-jobscript-").FullName;

    private readonly List<int> _groups = [];

    public void Dispose()
    {
        // Whatever a failed test left running in a script's process group.
        foreach (var group in _groups)
        {
            Signal(-group, "KILL");
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_command_gets_the_runs_environment_umask_and_home_and_its_exit_code_is_the_scripts()
    {
        var environment = new Dictionary<string, string> { ["GREETING"] = "it's \"quoted\" $HOME `x`\nand a second line" };
        var launch = Launches.Of(7, "printf '%s|%s|%s' \"$GREETING\" \"$(umask)\" \"$HOME\" > out; exit 3", _directory, environment: environment);

        using var script = Start(JobScript.For(launch));
        await script.WaitForExitAsync().WaitAsync(Eventually.Patience);

        Assert.Equal(3, script.ExitCode);
        Assert.Equal($"{environment["GREETING"]}|0027|{_directory}", await File.ReadAllTextAsync(Path.Combine(_directory, "out")));
    }

    [Fact]
    public async Task An_interactive_runs_script_removes_its_own_file_as_it_starts_and_nothing_else()
    {
        var launch = Launches.Of(7, "echo ran > out", _directory) with { Interactive = true };
        var file = SessionScript.PathOf(_directory, 7);
        File.WriteAllText(file, JobScript.For(launch));
        var other = Path.Combine(_directory, "job.sh");

        // Started by another name (its $0) than its own file's, which it removes all the same.
        using var script = Start(JobScript.For(launch));
        await script.WaitForExitAsync().WaitAsync(Eventually.Patience);

        Assert.Equal(0, script.ExitCode);
        Assert.Equal("ran\n", await File.ReadAllTextAsync(Path.Combine(_directory, "out")));
        Assert.False(File.Exists(file), file);
        Assert.True(File.Exists(other), other);
    }

    [Fact]
    public async Task SIGUSR2_from_qdel_stops_the_command_with_SIGTERM_and_the_script_ends_by_that_signal()
    {
        // A grace period as long as the wait: the script's SIGKILL wins only where the test would time out anyway.
        var launch = Launches.Of(8, "trap 'echo term > got; exit 143' TERM; touch started; while :; do sleep 0.1; done", _directory, grace: Eventually.Patience);

        using var script = Start(JobScript.For(launch));
        await Eventually.FileAsync("the command started", Path.Combine(_directory, "started"));
        Signal(-script.Id, "USR2");
        await script.WaitForExitAsync().WaitAsync(Eventually.Patience);

        Assert.Equal("term\n", await File.ReadAllTextAsync(Path.Combine(_directory, "got")));
        Assert.Equal(128 + 15, script.ExitCode);
    }

    [Fact]
    public async Task A_command_that_dies_of_the_SIGTERM_ends_the_script_by_SIGTERM_each_time()
    {
        // The command may die and be reaped while the script is still in its SIGUSR2 trap: the
        // status must still be the command's, not the interrupted wait's (128+12). Repeated, as
        // that happened in about one stop of five.
        for (var attempt = 0; attempt < 25; attempt++)
        {
            var started = Path.Combine(_directory, $"started-{attempt}");
            // A grace period as long as the wait: the script's SIGKILL wins only where the test would time out anyway.
            var launch = Launches.Of(11, $"touch {started}; exec sleep 1000", _directory, grace: Eventually.Patience);

            using var script = Start(JobScript.For(launch));
            await Eventually.FileAsync($"attempt {attempt} started", started);
            Signal(-script.Id, "USR2");
            await script.WaitForExitAsync().WaitAsync(Eventually.Patience);

            Assert.True(script.ExitCode == 128 + 15, $"attempt {attempt}: exit {script.ExitCode}");
        }
    }

    [Fact]
    public async Task A_command_that_ignores_SIGTERM_is_killed_after_the_grace_period()
    {
        var launch = Launches.Of(9, "trap '' TERM; touch started; while :; do sleep 0.1; done", _directory, grace: TimeSpan.FromSeconds(1));

        using var script = Start(JobScript.For(launch));
        await Eventually.FileAsync("the command started", Path.Combine(_directory, "started"));
        Signal(-script.Id, "USR2");
        await script.WaitForExitAsync().WaitAsync(Eventually.Patience);

        Assert.Equal(128 + 9, script.ExitCode);
    }

    [Fact]
    public void An_environment_name_that_is_no_shell_identifier_is_refused()
    {
        var launch = Launches.Of(10, "true", _directory, environment: new Dictionary<string, string> { ["A;rm -rf /"] = "x" });

        var e = Assert.Throws<ArgumentException>(() => JobScript.For(launch));

        Assert.Contains("'A;rm -rf /' of run 10 is not a shell identifier", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_health_check_script_runs_beside_the_command_quoted_exactly_and_each_result_is_written_for_toolgridd()
    {
        // Quoted wrongly, the check would touch "pwned"; quoted right, it is one word: a command not found (127).
        var launch = WithCheck(Launches.Of(12, "while [ ! -f stop ]; do sleep 0.1; done", _directory), "x'; touch pwned; '", TimeSpan.FromSeconds(5));

        using var script = Start(JobScript.For(launch));
        var file = ScriptResult.PathOf(_directory, 12);
        var first = await HealthResults.FoundAsync(file, _ => true);
        File.WriteAllText(Path.Combine(_directory, "stop"), "");
        await script.WaitForExitAsync().WaitAsync(Eventually.Patience);

        Assert.Equal(127, first.ExitCode);
        Assert.False(File.Exists(Path.Combine(_directory, "pwned")));
        Assert.Equal(0, script.ExitCode);
    }

    [Fact]
    public async Task A_check_that_starts_failing_is_written_as_failing_with_a_later_time()
    {
        File.WriteAllText(Path.Combine(_directory, "ok"), "");
        var launch = WithCheck(Launches.Of(13, "while [ ! -f stop ]; do sleep 0.1; done", _directory), "test -f ok", TimeSpan.FromSeconds(5));

        using var script = Start(JobScript.For(launch));
        var file = ScriptResult.PathOf(_directory, 13);
        var passed = await HealthResults.FoundAsync(file, r => r.ExitCode == 0);
        File.Delete(Path.Combine(_directory, "ok"));
        var failed = await HealthResults.FoundAsync(file, r => r.ExitCode != 0);
        File.WriteAllText(Path.Combine(_directory, "stop"), "");
        await script.WaitForExitAsync().WaitAsync(Eventually.Patience);

        Assert.Equal(1, failed.ExitCode);
        Assert.True(failed.Time > passed.Time, $"{failed.Time} after {passed.Time}");
    }

    [Fact]
    public async Task A_check_past_its_timeout_is_killed_with_all_it_started_and_written_as_timed_out()
    {
        var launch = WithCheck(Launches.Of(14, "while [ ! -f stop ]; do sleep 0.1; done", _directory), "sleep 300 & echo $! > grandchild; sleep 300", TimeSpan.FromSeconds(1));

        using var script = Start(JobScript.For(launch));
        var result = await HealthResults.FoundAsync(ScriptResult.PathOf(_directory, 14), _ => true);
        var grandchild = HealthResults.Pid(Path.Combine(_directory, "grandchild"));
        File.WriteAllText(Path.Combine(_directory, "stop"), "");
        await script.WaitForExitAsync().WaitAsync(Eventually.Patience);

        Assert.Equal(ScriptResult.TimedOut, result.ExitCode);
        await HealthResults.EndedAsync(grandchild);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_loop_and_its_check_die_with_the_job_when_the_command_ends_or_qdel_stops_it(bool qdel)
    {
        // The check hangs (its timeout far off): only the job's end can stop it.
        var launch = WithCheck(Launches.Of(15, "touch started; while [ ! -f stop ]; do sleep 0.1; done", _directory, grace: TimeSpan.FromSeconds(1)), "echo $$ > check; exec sleep 300", Eventually.Patience);

        using var script = Start(JobScript.For(launch));
        await Eventually.FileAsync("the check started", Path.Combine(_directory, "check"));
        await Eventually.FileAsync("the command started", Path.Combine(_directory, "started"));
        var check = HealthResults.Pid(Path.Combine(_directory, "check"));
        var timeout = HealthResults.Parent(check);
        var loop = HealthResults.Parent(timeout);
        Assert.Equal(script.Id, HealthResults.Parent(loop));
        if (qdel)
        {
            Signal(-script.Id, "USR2");
        }
        else
        {
            File.WriteAllText(Path.Combine(_directory, "stop"), "");
        }

        await script.WaitForExitAsync().WaitAsync(Eventually.Patience);

        await HealthResults.EndedAsync(check);
        await HealthResults.EndedAsync(timeout);
        await HealthResults.EndedAsync(loop);
    }

    private static RunLaunch WithCheck(RunLaunch launch, string script, TimeSpan timeout) =>
        launch with { HealthCheck = new HealthCheck(script, null, TimeSpan.FromSeconds(1), timeout, TimeSpan.FromMinutes(2), 3) };

    private Process Start(string script)
    {
        var path = Path.Combine(_directory, "job.sh");
        File.WriteAllText(path, script);
        // As SGE's shepherd starts it: the leader of a process group of its own.
        var start = new ProcessStartInfo("/usr/bin/setsid") { WorkingDirectory = _directory, UseShellExecute = false };
        start.ArgumentList.Add("/bin/sh");
        start.ArgumentList.Add(path);
        var process = Process.Start(start)!;
        _groups.Add(process.Id);
        return process;
    }

    private static void Signal(int pid, string signal)
    {
        // A negative pid is the process group, as SGE signals it.
        using var kill = Process.Start("/bin/kill", ["-s", signal, "--", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill!.WaitForExit();
    }
}
