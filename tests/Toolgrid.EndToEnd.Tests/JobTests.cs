using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// Jobs end to end, the same tests on every backend (<see cref="LocalJobTests"/>,
/// <see cref="GridEngineJobTests"/>, <see cref="SlurmJobTests"/>): real processes under real Unix
/// users, through the real CLI and API, on the host or on a real grid cluster's nodes. What a
/// maintainer sees must not depend on where the runs run.
/// </summary>
/// <param name="platform">The platform of the backend.</param>
/// <param name="prefix">The start of every tool name of the backend's tests: tools are Unix users, which the platforms share.</param>
/// <param name="nodes">The nodes the backend's runs may run on.</param>
public abstract class JobTests(Platform platform, string prefix, IReadOnlyList<string> nodes)
{
    /// <summary>
    /// Whether the backend enforces <c>--mem</c> on each process's address space too (Grid Engine's
    /// <c>h_vmem</c> is a <c>ulimit -v</c> as well as the execd's kill of a job whose processes
    /// together go over it): one process asking for more than the limit has its allocation refused
    /// instead of being killed.
    /// </summary>
    protected virtual bool MemoryIsAnAddressSpaceLimit => false;

    /// <summary>
    /// Whether the backend finds a job's total memory only by sampling it (Grid Engine's execd),
    /// rather than by a kernel limit on the run's cgroup (the host, a Slurm node). In the suite's
    /// SGE test cluster that kill did not come within minutes once the suite's earlier tests had
    /// run (it did on a fresh cluster), so the total is asserted only where the kernel enforces it.
    /// </summary>
    protected virtual bool TotalMemoryIsSampled => false;

    /// <summary>The name of this backend's tool <paramref name="name"/>.</summary>
    private string Tool(string name) => prefix + "-" + name;

    [RootFact]
    public async Task A_job_runs_as_its_tools_user_in_its_home_and_cannot_write_another_tools_home()
    {
        await platform.MustAsync("alice", "tools", "create", Tool("mine"));
        await platform.MustAsync("bob", "tools", "create", Tool("theirs"));
        var theirs = platform.HomeOf(Tool("theirs"));

        var result = await platform.CliAsync("alice", "jobs", "run", "who", "--tool", Tool("mine"), "--wait",
            "--command", $"id -un; pwd; touch {theirs}/intruder && echo WROTE || echo REFUSED");

        Assert.Equal(0, result.ExitCode);
        var output = await File.ReadAllTextAsync(Path.Combine(platform.HomeOf(Tool("mine")), "who.out"));
        Assert.Contains(Platform.ToolPrefix + Tool("mine"), output, StringComparison.Ordinal);
        Assert.Contains(platform.HomeOf(Tool("mine")), output, StringComparison.Ordinal);
        Assert.Contains("REFUSED", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(theirs, "intruder")));
        Assert.Contains("Permission denied", await File.ReadAllTextAsync(Path.Combine(platform.HomeOf(Tool("mine")), "who.err")), StringComparison.Ordinal);
    }

    [RootFact]
    public async Task A_maintainer_of_one_tool_gets_403_on_another_tools_jobs()
    {
        await platform.MustAsync("alice", "tools", "create", Tool("a"));
        await platform.MustAsync("bob", "tools", "create", Tool("b"));
        await platform.MustAsync("bob", "jobs", "run", "b-job", "--tool", Tool("b"), "--command", "true");

        foreach (var arguments in new[]
        {
            new[] { "jobs", "list", "--tool", Tool("b") },
            ["jobs", "show", "b-job", "--tool", Tool("b")],
            ["jobs", "delete", "b-job", "--tool", Tool("b")],
            ["jobs", "run", "x", "--command", "true", "--tool", Tool("b")],
        })
        {
            var result = await platform.CliAsync("alice", arguments);
            Assert.True(result.ExitCode == 77, $"{string.Join(' ', arguments)}: {result}");
            Assert.Contains("not a maintainer", result.Stderr, StringComparison.Ordinal);
        }

        using var client = platform.RootClient();
        var job = await platform.JobAsync(Tool("b"), "b-job");
        Assert.False(job.GetProperty("deleting").GetBoolean());
    }

    [RootFact]
    public async Task Wait_exits_with_the_jobs_exit_code_and_with_documented_codes_for_the_platforms_outcomes()
    {
        await platform.MustAsync("alice", "tools", "create", Tool("codes"));

        async Task<CommandResult> Run(string name, string command, params string[] extra) =>
            await platform.CliAsync("alice", ["jobs", "run", name, "--tool", Tool("codes"), "--wait", "--command", command, .. extra]);

        Assert.Equal(0, (await Run("ok", "true")).ExitCode);
        Assert.Equal(3, (await Run("three", "exit 3")).ExitCode);
        Assert.Equal(128 + 15, (await Run("signal", "kill -TERM $$")).ExitCode);

        // Could not start: the output file is in a directory the tool may not write.
        var locked = Path.Combine(platform.HomeOf(Tool("codes")), "locked");
        Directory.CreateDirectory(locked);
        File.SetUnixFileMode(locked, (UnixFileMode)0b111_101_101);
        var cannot = await Run("cannot-start", "true", "-o", "locked/out.txt");
        Assert.True(cannot.ExitCode == 244, cannot.ToString());

        // Why, as precisely as the backend knows: the host's error, or the engine's code for it.
        Assert.Matches("Permission denied|could not open its output file|can its user write its log files", cannot.Stderr);

        // Killed: deleted by a maintainer while the CLI waits.
        var waiting = Run("victim", "sleep 300");
        await platform.WaitForRunAsync(Tool("codes"), "victim", run => run.GetProperty("state").GetString() == "running");
        await platform.MustAsync("alice", "jobs", "delete", "victim", "--tool", Tool("codes"));
        var killed = await waiting;
        Assert.True(killed.ExitCode == 240, killed.ToString());

        // The deleted job is kept a while after its run ended: how it ended can still be read.
        var shown = await platform.MustAsync("alice", "jobs", "show", "victim", "--tool", Tool("codes"));
        Assert.Contains("job-deleted", shown, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Retries_run_a_failing_job_again_up_to_its_retry_count()
    {
        await platform.MustAsync("alice", "tools", "create", Tool("retry"));
        var result = await platform.CliAsync("alice", "jobs", "run", "flaky", "--tool", Tool("retry"), "--retry", "2", "--wait", "--command", "echo attempt >> attempts.txt; exit 1");
        Assert.Equal(1, result.ExitCode);
        var attempts = await File.ReadAllLinesAsync(Path.Combine(platform.HomeOf(Tool("retry")), "attempts.txt"));
        Assert.Equal(3, attempts.Length);
        var job = await platform.JobAsync(Tool("retry"), "flaky");
        Assert.Equal(3, job.GetProperty("runs").GetArrayLength());
    }

    [RootFact]
    public async Task Logs_show_the_jobs_output()
    {
        await platform.MustAsync("alice", "tools", "create", Tool("logs"));
        await platform.MustAsync("alice", "jobs", "run", "talker", "--tool", Tool("logs"), "--wait", "--command", "for i in 1 2 3; do echo line $i; done; echo oops >&2");
        var logs = await platform.MustAsync("alice", "jobs", "logs", "talker", "--tool", Tool("logs"));
        Assert.Contains("line 3", logs, StringComparison.Ordinal);
        Assert.Contains("oops", logs, StringComparison.Ordinal);

        // A log file that is a link out of the home is not shown.
        var home = platform.HomeOf(Tool("logs"));
        File.Delete(Path.Combine(home, "talker.out"));
        File.CreateSymbolicLink(Path.Combine(home, "talker.out"), "/etc/shadow");
        var sneaky = await platform.CliAsync("alice", "jobs", "logs", "talker", "--tool", Tool("logs"), "--stream", "stdout");
        Assert.NotEqual(0, sneaky.ExitCode);
        Assert.DoesNotContain("root:", sneaky.Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Show_lists_runs_with_state_reason_exit_code_times_and_node()
    {
        await platform.MustAsync("alice", "tools", "create", Tool("show"));
        await platform.CliAsync("alice", "jobs", "run", "fails", "--tool", Tool("show"), "--wait", "--command", "exit 7");
        var json = await platform.MustAsync("alice", "jobs", "show", "fails", "--tool", Tool("show"), "--json");
        using var document = JsonDocument.Parse(json);
        var run = document.RootElement.GetProperty("runs")[0];
        Assert.Equal("failed", run.GetProperty("state").GetString());
        Assert.Equal("exited", run.GetProperty("reason").GetString());
        Assert.Equal(7, run.GetProperty("exitCode").GetInt32());
        Assert.Contains(run.GetProperty("node").GetString(), nodes);
        Assert.NotEqual(JsonValueKind.Null, run.GetProperty("startedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, run.GetProperty("finishedAt").ValueKind);

        var text = await platform.MustAsync("alice", "jobs", "show", "fails", "--tool", Tool("show"));
        Assert.Contains("failed", text, StringComparison.Ordinal);
        Assert.Contains("7", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// A one-off job runs on one of the backend's nodes as its tool's user, <c>--wait</c> exits with
    /// its exit code, its output is in <c>~/JOB.out</c>, and <c>jobs show</c> names the node it ran on.
    /// </summary>
    [RootFact]
    public async Task A_job_runs_on_a_node_of_its_backend_and_show_names_that_node()
    {
        var tool = Tool("where");
        await platform.MustAsync("alice", "tools", "create", tool);

        var result = await platform.CliAsync("alice", "jobs", "run", "where", "--tool", tool, "--wait", "--command", "hostname; id -un; exit 3");

        Assert.True(result.ExitCode == 3, result.ToString());
        var output = await File.ReadAllLinesAsync(Path.Combine(platform.HomeOf(tool), "where.out"));
        Assert.Contains(output[0], nodes);
        Assert.Equal(Platform.ToolPrefix + tool, output[1]);
        using var shown = JsonDocument.Parse(await platform.MustAsync("alice", "jobs", "show", "where", "--tool", tool, "--json"));
        Assert.Equal(output[0], shown.RootElement.GetProperty("runs")[0].GetProperty("node").GetString());
    }

    /// <summary>
    /// A job due every minute runs for its due minute, never before it; a one-off job past its
    /// <c>--timeout</c> ends timed out with the exit code of a timeout. One test, so the wait for the
    /// minute covers both.
    /// </summary>
    [RootFact]
    public async Task A_minutely_job_runs_at_its_due_minute_and_a_timeout_ends_a_run_timed_out()
    {
        var tool = Tool("sched");
        await platform.MustAsync("alice", "tools", "create", tool);
        await platform.MustAsync("alice", "jobs", "run", "tick", "--tool", tool, "--schedule", "* * * * *", "--command", "date +%s");

        // Slurm keeps limits in whole minutes (2s is 1 minute there): the command outlasts that by far.
        var slow = await platform.CliAsync("alice", "jobs", "run", "slow", "--tool", tool, "--wait", "--timeout", "2s", "--command", "sleep 600");
        Assert.True(slow.ExitCode == 243, slow.ToString());
        var slowRun = await platform.WaitForRunAsync(tool, "slow", r => r.GetProperty("finishedAt").ValueKind == JsonValueKind.String);
        Assert.Equal(("failed", "timed-out"), (slowRun.GetProperty("state").GetString(), slowRun.GetProperty("reason").GetString()));

        var tick = await platform.WaitForRunAsync(tool, "tick", r => r.GetProperty("state").GetString() == "succeeded", TimeSpan.FromSeconds(180));
        var due = tick.GetProperty("dueAt").GetDateTimeOffset();
        Assert.Equal(0, due.Second);
        Assert.True(tick.GetProperty("startedAt").GetDateTimeOffset() >= due, $"started before its due time: {tick}");
        var printed = long.Parse((await File.ReadAllTextAsync(Path.Combine(platform.HomeOf(tool), "tick.out"))).Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
        Assert.True(printed >= due.ToUnixTimeSeconds(), $"the command ran at {printed}, before its due time {due.ToUnixTimeSeconds()}");
        await platform.MustAsync("alice", "jobs", "delete", "tick", "--tool", tool);
    }

    /// <summary>
    /// A run whose processes together go over its <c>--mem</c> ends out of memory, with the exit
    /// code of that outcome, however the backend enforces the limit (a memory cgroup on the host
    /// or a Slurm node, Grid Engine's <c>h_vmem</c>): four processes of 48 MiB each, under a
    /// 128 MiB limit that each alone fits in, which stay until one of them is killed (where the total
    /// is a kernel limit: <see cref="TotalMemoryIsSampled"/>). One process asking for more than its whole limit at
    /// once is killed out of memory too, except where the limit is also each process's address
    /// space (<see cref="MemoryIsAnAddressSpaceLimit"/>).
    /// </summary>
    [RootFact]
    public async Task A_job_whose_processes_together_go_over_its_memory_ends_out_of_memory()
    {
        var tool = Tool("mem");
        await platform.MustAsync("alice", "tools", "create", tool);

        if (!TotalMemoryIsSampled)
        {
            // Four children of one python each hold 48 MiB until one of them is killed; the parent then
            // ends the others, so the run ends as soon as the backend acts, however long that takes.
            const string Hogs = """python3 -c 'exec("import os, time\nkids = []\nfor i in range(4):\n    pid = os.fork()\n    if pid == 0:\n        b = bytearray(48 * 1024 * 1024)\n        time.sleep(600)\n        os._exit(0)\n    kids.append(pid)\nended, status = os.wait()\nfor pid in kids:\n    if pid != ended:\n        os.kill(pid, 9)\nos._exit(1)")'""";
            var hog = await platform.CliAsync("alice", "jobs", "run", "hogs", "--tool", tool, "--mem", "128Mi", "--wait", "--command", Hogs);

            Assert.True(hog.ExitCode == 242, hog.ToString());
            Assert.Contains("out-of-memory", hog.Stderr, StringComparison.Ordinal);
            var run = await platform.WaitForRunAsync(tool, "hogs", r => r.GetProperty("finishedAt").ValueKind == JsonValueKind.String);
            Assert.Equal(("failed", "out-of-memory"), (run.GetProperty("state").GetString(), run.GetProperty("reason").GetString()));
        }

        // One process asking for more than the whole limit at once.
        var one = await platform.CliAsync("alice", "jobs", "run", "hog", "--tool", tool, "--mem", "64Mi", "--wait", "--command", "python3 -c 'b = bytearray(512 * 1024 * 1024)'");
        if (MemoryIsAnAddressSpaceLimit)
        {
            // The allocation is refused: the program ends as it decides (Python: MemoryError, exit 1).
            Assert.True(one.ExitCode == 1, one.ToString());
            Assert.Contains("MemoryError", await File.ReadAllTextAsync(Path.Combine(platform.HomeOf(tool), "hog.err")), StringComparison.Ordinal);
        }
        else
        {
            Assert.True(one.ExitCode == 242, one.ToString());
            Assert.Contains("out-of-memory", one.Stderr, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// A continuous job's replicas are kept up: each run that ends is replaced (at once, then after
    /// the backoff), and deleting the job ends the replicas it has.
    /// </summary>
    [RootFact]
    public async Task A_continuous_job_is_restarted_when_its_runs_end_and_stopped_when_deleted()
    {
        var tool = Tool("bot");
        await platform.MustAsync("alice", "tools", "create", tool);
        await platform.MustAsync("alice", "jobs", "run", "bot", "--tool", tool, "--continuous", "--replicas", "2", "--command", "echo $$-$(hostname) >> bot.ticks; sleep 2; exit 1");

        // Four ended runs: each wrote its line before it ended (a run counted while still starting may not have yet).
        var restarted = await platform.WaitForJobAsync(tool, "bot", j => j.GetProperty("restartCount").GetInt32() >= 2 && Ended(j).Count() >= 4);
        Assert.All(Ended(restarted), r => Assert.Equal(1, r.GetProperty("exitCode").GetInt32()));
        var ticks = (await File.ReadAllLinesAsync(Path.Combine(platform.HomeOf(tool), "bot.ticks"))).Distinct().Count();
        Assert.True(ticks >= 4, $"{ticks} processes ran for the job's runs");

        await platform.MustAsync("alice", "jobs", "delete", "bot", "--tool", tool);

        // Ended: every run of the deleted job finished, or the job purged, which happens only once they have.
        using var client = platform.RootClient();
        await Platform.EventuallyAsync(
            async () =>
            {
                var answer = await client.GetAsync($"/api/v1/tools/{tool}/jobs/bot");
                return answer.StatusCode == System.Net.HttpStatusCode.NotFound
                    || (await answer.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runs").EnumerateArray().All(r => r.GetProperty("finishedAt").ValueKind == JsonValueKind.String);
            },
            $"{tool}/bot's runs to end after its deletion");
    }

    /// <summary>
    /// A continuous job with a health check script: its run is healthy while the check passes;
    /// once the check fails (the file it tests is removed), the run is recorded unhealthy, stopped
    /// and replaced by a new run, on every backend alike. On a grid the check runs in a loop inside
    /// the run's own job (<see cref="ChecksRunInTheJob"/>): that loop ends with the job, whether the
    /// job is stopped for failing its check or deleted.
    /// </summary>
    [RootFact]
    public async Task A_health_check_script_keeps_a_run_healthy_and_one_that_starts_failing_has_it_stopped_and_replaced()
    {
        var tool = Tool("checked");
        await platform.MustAsync("alice", "tools", "create", tool);
        var home = platform.HomeOf(tool);
        await File.WriteAllTextAsync(Path.Combine(home, "ok"), "");
        // The check notes its loop (on a grid: the parent of the timeout that runs it) for each run, then tests the file.
        const string check = "awk '{print $4}' /proc/$PPID/stat > \"$HOME/loop-$TOOLGRID_RUN\"; test -f \"$HOME/ok\"";
        try
        {
            await platform.MustAsync("alice", "jobs", "run", "bot", "--tool", tool, "--continuous", "--health-check-script", check, "--command", "exec sleep 100000");
            var first = await platform.WaitForRunAsync(tool, "bot", r => r.GetProperty("state").GetString() == "running" && r.GetProperty("healthy").ValueKind == JsonValueKind.True);
            var firstId = first.GetProperty("id").GetInt64();

            File.Delete(Path.Combine(home, "ok"));
            var replaced = await platform.WaitForJobAsync(tool, "bot", j =>
                j.GetProperty("runs").EnumerateArray().Any(r => r.GetProperty("id").GetInt64() == firstId && r.GetProperty("finishedAt").ValueKind == JsonValueKind.String)
                && j.GetProperty("runs").EnumerateArray().Any(r => r.GetProperty("id").GetInt64() > firstId));

            var stopped = replaced.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == firstId);
            Assert.Equal(("failed", "unhealthy"), (stopped.GetProperty("state").GetString(), stopped.GetProperty("reason").GetString()));
            Assert.Contains("failed its health check", stopped.GetProperty("message").GetString(), StringComparison.Ordinal);
            if (ChecksRunInTheJob)
            {
                await LoopEndedAsync(home, firstId);
            }
        }
        finally
        {
            await platform.CliAsync("alice", "jobs", "delete", "bot", "--tool", tool);
        }

        if (ChecksRunInTheJob)
        {
            foreach (var loop in Directory.GetFiles(home, "loop-*"))
            {
                await LoopEndedAsync(home, long.Parse(Path.GetFileName(loop)["loop-".Length..], CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Whether a health check script runs in a loop inside the run's job (the grids), rather than from the node's own prober (local).</summary>
    protected virtual bool ChecksRunInTheJob => false;

    /// <summary>Waits until the health loop of run <paramref name="runId"/> has ended (gone, or a zombie: this host's PID 1 reaps late).</summary>
    private static Task LoopEndedAsync(string home, long runId)
    {
        var pid = File.ReadAllText(Path.Combine(home, $"loop-{runId.ToString(CultureInfo.InvariantCulture)}")).Trim();
        return Platform.EventuallyAsync(
            () =>
            {
                try
                {
                    var stat = File.ReadAllText($"/proc/{pid}/stat");
                    return Task.FromResult(stat[stat.LastIndexOf(')') + 2] == 'Z');
                }
                catch (IOException)
                {
                    return Task.FromResult(true);
                }
            },
            $"the health loop of run {runId} (process {pid}) to end with its job");
    }

    private static IEnumerable<JsonElement> Ended(JsonElement job) =>
        job.GetProperty("runs").EnumerateArray().Where(r => r.GetProperty("finishedAt").ValueKind == JsonValueKind.String);
}
