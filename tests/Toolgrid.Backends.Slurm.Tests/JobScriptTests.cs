using System.Diagnostics;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Health;
using Toolgrid.Native.Terminals;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.Slurm.Tests;

/// <summary>The batch script under <c>/bin/sh</c>, as slurmstepd runs it (without Slurm: the script is plain shell).</summary>
public sealed class JobScriptTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("tg-slurm-script-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task The_command_gets_its_environment_umask_and_directory_exactly_as_given()
    {
        var environment = new Dictionary<string, string> { ["GREETING"] = "it's \"quoted\" $HOME `x`" };
        var launch = Launches.Of(1, "echo \"$GREETING\"; echo \"$HOME\"; umask; pwd", _home, environment: environment);

        var (status, output, _) = await RunAsync(launch);

        Assert.Equal(0, status);
        Assert.Equal($"it's \"quoted\" $HOME `x`\n{_home}\n0027\n{_home}\n", output);
    }

    [Fact]
    public async Task The_command_ends_the_job_as_it_ended()
    {
        var (exited, _, _) = await RunAsync(Launches.Of(1, "exit 3", _home));
        var (killed, _, _) = await RunAsync(Launches.Of(1, "kill -TERM $$", _home));

        Assert.Equal(3, exited);
        Assert.Equal(128 + 15, killed);
    }

    [Fact]
    public async Task A_missing_working_directory_fails_the_run_saying_so()
    {
        var missing = Path.Combine(_home, "gone");
        var (status, output, error) = await RunAsync(Launches.Of(1, "echo ran", _home) with { WorkingDirectory = missing });

        Assert.Equal((1, string.Empty), (status, output));
        Assert.Contains($"cannot change to the working directory {missing} on ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interactive_run_without_a_terminal_has_its_errors_in_its_output_and_one_with_a_terminal_keeps_them_apart()
    {
        var launch = Launches.Of(1, "echo out; echo err >&2", _home) with { Interactive = true };

        var (_, pipesOutput, pipesError) = await RunAsync(launch);
        var (_, _, terminalError) = await RunAsync(launch with { Terminal = new TerminalSize(24, 80) });

        Assert.Equal(("out\nerr\n", ""), (pipesOutput, pipesError));
        Assert.Equal("err\n", terminalError);
    }

    [Fact]
    public async Task An_interactive_runs_script_removes_its_own_file_as_it_starts_and_never_its_shell()
    {
        var launch = Launches.Of(7, "echo ran", _home) with { Interactive = true };
        var file = SessionScript.PathOf(_home, 7);
        File.WriteAllText(file, JobScript.For(launch));

        // Read by /bin/sh from its standard input: $0 is the shell itself, which stays.
        var (status, output, _) = await RunAsync(launch);

        Assert.Equal((0, "ran\n"), (status, output));
        Assert.False(File.Exists(file), file);
        Assert.True(File.Exists("/bin/sh"));
    }

    [Fact]
    public void An_environment_name_that_is_not_an_identifier_is_refused()
    {
        var launch = Launches.Of(1, "true", _home, environment: new Dictionary<string, string> { ["A;rm -rf x"] = "1" });

        Assert.Contains("not a shell identifier", Assert.Throws<ArgumentException>(() => JobScript.For(launch)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_health_check_script_runs_beside_the_command_and_its_loop_ends_once_the_command_has()
    {
        // The check says which process runs its loop (timeout's parent), then fails: its result must say 3.
        var check = "awk '{print $4}' /proc/$PPID/stat > loop.new && mv loop.new loop; exit 3";
        var launch = Launches.Of(21, "while [ ! -f loop ]; do sleep 0.1; done; echo done", _home) with
        {
            HealthCheck = new HealthCheck(check, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), 3),
        };

        var (status, output, _) = await RunAsync(launch);
        var loop = HealthResults.Pid(Path.Combine(_home, "loop"));
        var result = await HealthResults.FoundAsync(ScriptResult.PathOf(_home, 21), _ => true);

        Assert.Equal((0, "done\n"), (status, output));
        Assert.Equal(3, result.ExitCode);
        await HealthResults.EndedAsync(loop);
    }

    [Fact]
    public void A_hostile_health_check_script_appears_once_single_quoted_and_a_run_without_one_gets_no_loop()
    {
        const string hostile = "x'; rm -rf ~; '";
        var launch = Launches.Of(22, "./bot", _home);

        var script = JobScript.For(launch with { HealthCheck = HealthCheck.For(hostile, null) });

        Assert.Contains(" /bin/sh -c 'x'\\''; rm -rf ~; '\\''' </dev/null", script, StringComparison.Ordinal);
        Assert.DoesNotContain(hostile, script, StringComparison.Ordinal);
        Assert.DoesNotContain("timeout", JobScript.For(launch), StringComparison.Ordinal);
    }

    private static async Task<(int Status, string Output, string Error)> RunAsync(RunLaunch launch)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(JobScript.For(launch));
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
