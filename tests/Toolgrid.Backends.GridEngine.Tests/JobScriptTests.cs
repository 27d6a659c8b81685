using System.Diagnostics;
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
