using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>One-off jobs, end to end: real processes under real Unix users.</summary>
[Collection(SharedPlatform.Name)]
public sealed class JobTests(Platform platform)
{
    [RootFact]
    public async Task A_job_runs_as_its_tools_user_in_its_home_and_cannot_write_another_tools_home()
    {
        await platform.MustAsync("alice", "tools", "create", "job-mine");
        await platform.MustAsync("bob", "tools", "create", "job-theirs");
        var theirs = platform.HomeOf("job-theirs");

        var result = await platform.CliAsync("alice", "jobs", "run", "who", "--tool", "job-mine", "--wait",
            "--command", $"id -un; pwd; touch {theirs}/intruder && echo WROTE || echo REFUSED");

        Assert.Equal(0, result.ExitCode);
        var output = await File.ReadAllTextAsync(Path.Combine(platform.HomeOf("job-mine"), "who.out"));
        Assert.Contains(Platform.ToolPrefix + "job-mine", output, StringComparison.Ordinal);
        Assert.Contains(platform.HomeOf("job-mine"), output, StringComparison.Ordinal);
        Assert.Contains("REFUSED", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(theirs, "intruder")));
        Assert.Contains("Permission denied", await File.ReadAllTextAsync(Path.Combine(platform.HomeOf("job-mine"), "who.err")), StringComparison.Ordinal);
    }

    [RootFact]
    public async Task A_maintainer_of_one_tool_gets_403_on_another_tools_jobs()
    {
        await platform.MustAsync("alice", "tools", "create", "job-a");
        await platform.MustAsync("bob", "tools", "create", "job-b");
        await platform.MustAsync("bob", "jobs", "run", "b-job", "--tool", "job-b", "--command", "true");

        foreach (var arguments in new[]
        {
            new[] { "jobs", "list", "--tool", "job-b" },
            ["jobs", "show", "b-job", "--tool", "job-b"],
            ["jobs", "delete", "b-job", "--tool", "job-b"],
            ["jobs", "run", "x", "--command", "true", "--tool", "job-b"],
        })
        {
            var result = await platform.CliAsync("alice", arguments);
            Assert.True(result.ExitCode == 77, $"{string.Join(' ', arguments)}: {result}");
            Assert.Contains("not a maintainer", result.Stderr, StringComparison.Ordinal);
        }

        using var client = platform.RootClient();
        var job = await platform.JobAsync("job-b", "b-job");
        Assert.False(job.GetProperty("deleting").GetBoolean());
    }

    [RootFact]
    public async Task Wait_exits_with_the_jobs_exit_code_and_with_documented_codes_for_the_platforms_outcomes()
    {
        await platform.MustAsync("alice", "tools", "create", "job-codes");

        async Task<CommandResult> Run(string name, string command, params string[] extra) =>
            await platform.CliAsync("alice", ["jobs", "run", name, "--tool", "job-codes", "--wait", "--command", command, .. extra]);

        Assert.Equal(0, (await Run("ok", "true")).ExitCode);
        Assert.Equal(3, (await Run("three", "exit 3")).ExitCode);
        Assert.Equal(128 + 15, (await Run("signal", "kill -TERM $$")).ExitCode);

        var oom = await Run("hog", "python3 -c 'b = bytearray(512 * 1024 * 1024)'", "--mem", "64Mi");
        Assert.Equal(242, oom.ExitCode);
        Assert.Contains("out-of-memory", oom.Stderr, StringComparison.Ordinal);

        // Could not start: the output file is in a directory the tool may not write.
        var locked = Path.Combine(platform.HomeOf("job-codes"), "locked");
        Directory.CreateDirectory(locked);
        File.SetUnixFileMode(locked, (UnixFileMode)0b111_101_101);
        var cannot = await Run("cannot-start", "true", "-o", "locked/out.txt");
        Assert.Equal(244, cannot.ExitCode);
        Assert.Contains("Permission denied", cannot.Stderr, StringComparison.Ordinal);

        // Killed: deleted by a maintainer while the CLI waits.
        var waiting = Run("victim", "sleep 300");
        await platform.WaitForRunAsync("job-codes", "victim", run => run.GetProperty("state").GetString() == "running");
        await platform.MustAsync("alice", "jobs", "delete", "victim", "--tool", "job-codes");
        var killed = await waiting;
        Assert.Equal(240, killed.ExitCode);
    }

    [RootFact]
    public async Task Retries_run_a_failing_job_again_up_to_its_retry_count()
    {
        await platform.MustAsync("alice", "tools", "create", "job-retry");
        var result = await platform.CliAsync("alice", "jobs", "run", "flaky", "--tool", "job-retry", "--retry", "2", "--wait", "--command", "echo attempt >> attempts.txt; exit 1");
        Assert.Equal(1, result.ExitCode);
        var attempts = await File.ReadAllLinesAsync(Path.Combine(platform.HomeOf("job-retry"), "attempts.txt"));
        Assert.Equal(3, attempts.Length);
        var job = await platform.JobAsync("job-retry", "flaky");
        Assert.Equal(3, job.GetProperty("runs").GetArrayLength());
    }

    [RootFact]
    public async Task Logs_show_the_jobs_output()
    {
        await platform.MustAsync("alice", "tools", "create", "job-logs");
        await platform.MustAsync("alice", "jobs", "run", "talker", "--tool", "job-logs", "--wait", "--command", "for i in 1 2 3; do echo line $i; done; echo oops >&2");
        var logs = await platform.MustAsync("alice", "jobs", "logs", "talker", "--tool", "job-logs");
        Assert.Contains("line 3", logs, StringComparison.Ordinal);
        Assert.Contains("oops", logs, StringComparison.Ordinal);

        // A log file that is a link out of the home is not shown.
        var home = platform.HomeOf("job-logs");
        File.Delete(Path.Combine(home, "talker.out"));
        File.CreateSymbolicLink(Path.Combine(home, "talker.out"), "/etc/shadow");
        var sneaky = await platform.CliAsync("alice", "jobs", "logs", "talker", "--tool", "job-logs", "--stream", "stdout");
        Assert.NotEqual(0, sneaky.ExitCode);
        Assert.DoesNotContain("root:", sneaky.Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Show_lists_runs_with_state_reason_exit_code_times_and_node()
    {
        await platform.MustAsync("alice", "tools", "create", "job-show");
        await platform.CliAsync("alice", "jobs", "run", "fails", "--tool", "job-show", "--wait", "--command", "exit 7");
        var json = await platform.MustAsync("alice", "jobs", "show", "fails", "--tool", "job-show", "--json");
        using var document = JsonDocument.Parse(json);
        var run = document.RootElement.GetProperty("runs")[0];
        Assert.Equal("failed", run.GetProperty("state").GetString());
        Assert.Equal("exited", run.GetProperty("reason").GetString());
        Assert.Equal(7, run.GetProperty("exitCode").GetInt32());
        Assert.Equal(System.Net.Dns.GetHostName(), run.GetProperty("node").GetString());
        Assert.NotEqual(JsonValueKind.Null, run.GetProperty("startedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, run.GetProperty("finishedAt").ValueKind);

        var text = await platform.MustAsync("alice", "jobs", "show", "fails", "--tool", "job-show");
        Assert.Contains("failed", text, StringComparison.Ordinal);
        Assert.Contains("7", text, StringComparison.Ordinal);
    }
}
