using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Toolgrid.Contracts.Api;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// Continuous jobs under chaos: their processes killed again and again, toolgridd killed under
/// them, a bot that ignores SIGTERM, and a job that is done under on-failure.
/// </summary>
[Collection(SharedPlatform.Name)]
public sealed class ContinuousTests(Platform platform)
{
    /// <summary>
    /// Four SIGKILLs of a continuous job's process: the first restart comes at once, then the
    /// backoff waits 10 s and 20 s (Backoff: 0, 10 s, 20 s, 40 s…); the count and the status say so.
    /// More kills would wait 40 s, 80 s…, which is the backoff working but too slow for this suite.
    /// </summary>
    [RootFact]
    public async Task A_continuous_job_killed_again_and_again_comes_back_each_time_after_a_growing_backoff_that_the_status_shows()
    {
        const string tool = "cont-kill";
        await platform.MustAsync("alice", "tools", "create", tool);
        await platform.MustAsync("alice", "jobs", "run", "bot", "--tool", tool, "--continuous", "--command", "exec sleep 3000");

        var previousPid = 0;
        var previousDelay = TimeSpan.MinValue;
        DateTimeOffset? previousNext = null;
        for (var kill = 1; kill <= 4; kill++)
        {
            var running = await platform.WaitForRunAsync(tool, "bot", run => IsRunning(run) && run.GetProperty("pid").GetInt32() != previousPid, Backoffs);
            var runId = running.GetProperty("id").GetInt64();
            var pid = running.GetProperty("pid").GetInt32();
            if (previousNext is { } next)
            {
                // It came back, and no earlier than the backoff said.
                Assert.True(running.GetProperty("submittedAt").GetDateTimeOffset() >= next, $"kill {kill}: queued before {next:O}: {running}");
            }

            await Command.MustAsync("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture));
            var job = await WaitForJobAsync(tool, "bot", j => j.GetProperty("restartCount").GetInt32() == kill && Run(j, runId) is { } r && r.GetProperty("state").GetString() != "running");
            var ended = Run(job, runId)!.Value;
            Assert.Equal("failed", ended.GetProperty("state").GetString());
            Assert.Equal(9, ended.GetProperty("signal").GetInt32());

            var finished = ended.GetProperty("finishedAt").GetDateTimeOffset();
            var delay = job.GetProperty("nextStartAt").GetDateTimeOffset() - finished;
            Assert.True(delay > previousDelay, $"kill {kill}: the backoff did not grow ({delay} after {previousDelay}): {job}");
            if (kill == 1)
            {
                Assert.True(delay < TimeSpan.FromSeconds(1), $"the first restart should come at once, not in {delay}");
            }
            else
            {
                Assert.True(delay >= TimeSpan.FromSeconds(10), $"kill {kill}: a backoff of {delay} is too short");
                var status = job.GetProperty("status").GetString()!;
                Assert.Contains("crash-looping", status, StringComparison.Ordinal);
                // `kill` runs ended: the first and kill - 1 restarts; the next is waiting for its backoff.
                Assert.Contains(kill == 2 ? "1 restart in a row" : $"{kill - 1} restarts in a row", status, StringComparison.Ordinal);
                Assert.Contains("SIGKILL", status, StringComparison.Ordinal);
                Assert.DoesNotContain("running on", status, StringComparison.Ordinal);
            }

            previousDelay = delay;
            previousNext = job.GetProperty("nextStartAt").GetDateTimeOffset();
            previousPid = pid;
        }

        // Waiting 40 s for the fifth run: the CLI says so in words too.
        var shown = await platform.MustAsync("alice", "jobs", "show", "bot", "--tool", tool);
        Assert.Matches(new Regex("crash-looping: 3 restarts in a row, last signal SIGKILL, next try in [0-9]+s"), shown);
        var json = await platform.JobAsync(tool, "bot");
        Assert.Equal(4, json.GetProperty("restartCount").GetInt32());
        Assert.Equal(4, json.GetProperty("runs").EnumerateArray().Count(r => r.GetProperty("signal").ValueKind == JsonValueKind.Number));
        Assert.DoesNotContain(json.GetProperty("runs").EnumerateArray(), r => r.GetProperty("state").GetString() is "running" or "starting" or "queued");

        // Deleted while it waits for its backoff: it never starts again.
        await platform.MustAsync("alice", "jobs", "delete", "bot", "--tool", tool);
        await WaitForItsRunsToEndAsync(tool, "bot");
        Assert.Equal(0, CountProcesses("sleep", "3000"));
    }

    /// <summary>
    /// Ten continuous jobs, three of them crash-looping in a backoff, when toolgridd gets SIGKILL:
    /// after it starts again the same processes run, none twice, and the backoffs keep their times.
    /// </summary>
    [RootFact]
    public async Task Killing_toolgridd_under_ten_continuous_jobs_keeps_their_processes_and_their_backoffs()
    {
        const string tool = "cont-adopt";
        await platform.MustAsync("alice", "tools", "create", tool);
        var steady = Enumerable.Range(1, 7).Select(i => $"up-{i}").ToList();
        var looping = Enumerable.Range(1, 3).Select(i => $"loop-{i}").ToList();
        // Through the API (the CLI is driven by the other tests), so that the ten start together.
        await Task.WhenAll(steady.Select((name, i) => SubmitAsync(tool, new JobRunRequest { Name = name, Continuous = true, Command = $"exec sleep {3100 + i}" }))
            .Concat(looping.Select(name => SubmitAsync(tool, new JobRunRequest { Name = name, Continuous = true, Command = "sleep 0.2; exit 1" }))));

        var pids = new Dictionary<string, (long RunId, int Pid)>();
        foreach (var name in steady)
        {
            var run = await platform.WaitForRunAsync(tool, name, IsRunning);
            pids[name] = (run.GetProperty("id").GetInt64(), run.GetProperty("pid").GetInt32());
        }

        // The loops: ended at once, restarted at once, ended, waiting 10 s, ended, waiting 20 s.
        var backoffs = new Dictionary<string, (DateTimeOffset Next, int Count, int Runs)>();
        foreach (var name in looping)
        {
            var job = await WaitForJobAsync(tool, name, j => j.GetProperty("restartCount").GetInt32() >= 3 && !HasActiveRun(j), Backoffs);
            backoffs[name] = (job.GetProperty("nextStartAt").GetDateTimeOffset(), job.GetProperty("restartCount").GetInt32(), job.GetProperty("runs").GetArrayLength());
        }

        await platform.StopAsync(kill: true);
        foreach (var (name, (_, pid)) in pids)
        {
            Assert.True(Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}"), $"{name} died with toolgridd");
        }

        await platform.StartAsync();

        // Re-adopted: the same runs and processes, each once.
        for (var i = 0; i < steady.Count; i++)
        {
            var name = steady[i];
            var job = await platform.JobAsync(tool, name);
            var active = job.GetProperty("runs").EnumerateArray().Where(r => r.GetProperty("state").GetString() is not ("succeeded" or "failed" or "killed" or "lost")).ToList();
            var run = Assert.Single(active);
            Assert.Equal(pids[name].RunId, run.GetProperty("id").GetInt64());
            Assert.Equal(pids[name].Pid, run.GetProperty("pid").GetInt32());
            Assert.Equal(1, job.GetProperty("runs").GetArrayLength());
            Assert.Equal(1, CountProcesses("sleep", (3100 + i).ToString(CultureInfo.InvariantCulture)));
        }

        // The backoffs carried on: same count, same next start until a run came, and none before it.
        foreach (var name in looping)
        {
            var job = await platform.JobAsync(tool, name);
            var (next, count, runs) = backoffs[name];
            if (job.GetProperty("runs").GetArrayLength() == runs)
            {
                Assert.Equal(count, job.GetProperty("restartCount").GetInt32());
                Assert.Equal(next, job.GetProperty("nextStartAt").GetDateTimeOffset());
            }

            var after = await WaitForJobAsync(tool, name, j => j.GetProperty("runs").GetArrayLength() > runs, Backoffs);
            var started = after.GetProperty("runs").EnumerateArray().Take(after.GetProperty("runs").GetArrayLength() - runs)
                .Select(r => r.GetProperty("submittedAt").GetDateTimeOffset()).Min();
            Assert.True(started >= next, $"{name}: a run was queued at {started:O}, before its backoff ended at {next:O}");
        }

        // Still one run and one process each after a controller pass that came after all that
        // (the reconciler found nothing to start twice).
        await platform.ControllerPassAsync("alice", tool);
        for (var i = 0; i < steady.Count; i++)
        {
            Assert.Equal(1, (await platform.JobAsync(tool, steady[i])).GetProperty("runs").GetArrayLength());
            Assert.Equal(1, CountProcesses("sleep", (3100 + i).ToString(CultureInfo.InvariantCulture)));
        }

        await Task.WhenAll(steady.Concat(looping).Select(name => DeleteAsync(tool, name)));
        foreach (var name in steady.Concat(looping))
        {
            await WaitForItsRunsToEndAsync(tool, name);
        }

        Assert.All(Enumerable.Range(0, steady.Count), i => Assert.Equal(0, CountProcesses("sleep", (3100 + i).ToString(CultureInfo.InvariantCulture))));
    }

    /// <summary>A bot that ignores SIGTERM, with children: delete waits its grace period, then SIGKILL takes the whole tree.</summary>
    [RootFact]
    public async Task Deleting_a_bot_that_ignores_SIGTERM_kills_its_whole_process_tree_after_the_grace_period()
    {
        const string tool = "cont-term";
        await platform.MustAsync("alice", "tools", "create", tool);
        var kids = Path.Combine(platform.HomeOf(tool), "kids");
        await platform.MustAsync("alice", "jobs", "run", "stubborn", "--tool", tool, "--continuous", "--grace-period", "3",
            "--command", "trap '' TERM; sleep 3201 & echo $! > kids; (sleep 3202 & echo $! >> kids; wait) & echo $! >> kids; while :; do sleep 1; done");
        var running = await platform.WaitForRunAsync(tool, "stubborn", IsRunning);
        var runId = running.GetProperty("id").GetInt64();
        var tree = new List<int> { running.GetProperty("pid").GetInt32() };
        await WaitUntilAsync(() => File.Exists(kids) && File.ReadAllLines(kids).Length == 3, "the bot's children");
        tree.AddRange(File.ReadAllLines(kids).Select(l => int.Parse(l, CultureInfo.InvariantCulture)));
        // A child's pid is known once it is forked; its command line is sleep's once it has exec'd.
        await WaitUntilAsync(() => CountProcesses("sleep", "3201") > 0 && CountProcesses("sleep", "3202") > 0, "the bot's sleeps");
        Assert.Equal(1, CountProcesses("sleep", "3201"));
        Assert.Equal(1, CountProcesses("sleep", "3202"));

        var asked = Now;
        await platform.MustAsync("alice", "jobs", "delete", "stubborn", "--tool", tool);

        await WaitUntilAsync(() => tree.All(pid => !Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}")), "the bot's process tree to end");
        var gone = Now - asked;

        // SIGTERM is ignored: what ended the tree was SIGKILL (the log below), no earlier than the
        // grace period after the delete was asked. A lower bound, which a busy machine only makes
        // later; a sleep and a look at the tree "within the grace period" would fail when the
        // machine is slower than the sleep.
        Assert.True(gone >= TimeSpan.FromSeconds(2.5), $"the tree was gone after {gone}, before the 3 s grace period");
        Assert.Equal(0, CountProcesses("sleep", "3201"));
        Assert.Equal(0, CountProcesses("sleep", "3202"));
        await WaitForItsRunsToEndAsync(tool, "stubborn");
        Assert.Matches(new Regex($@"Run {runId} of {tool}/stubborn is Killed \(JobDeleted\): .*SIGKILL"), platform.Log);
        Assert.Single(Regex.Matches(platform.Log, $@"Run {runId} of {tool}/stubborn is Killed"));
    }

    /// <summary>
    /// A run file deleted under a bot, then toolgridd killed and started again: the bot is neither
    /// recorded lost nor started a second time, and deleting it leaves nothing running.
    /// </summary>
    [RootFact]
    public async Task A_bot_whose_run_file_is_deleted_runs_once_across_a_restart_and_deleting_it_leaves_nothing_running()
    {
        const string tool = "cont-unlinked";
        await platform.MustAsync("alice", "tools", "create", tool);
        await platform.MustAsync("alice", "jobs", "run", "bot", "--tool", tool, "--continuous", "--command", "echo up >> marks; exec sleep 3301");
        var running = await platform.WaitForRunAsync(tool, "bot", IsRunning);
        var runId = running.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);

        File.Delete(Path.Combine(platform.StateDirectory, "runs", runId));
        await platform.StopAsync(kill: true);
        await platform.StartAsync();

        // Two one-off jobs, one after the other: by the end of the second the supervisor has
        // reconciled with the backend and made the passes that would have replaced a lost bot.
        await platform.MustAsync("alice", "jobs", "run", "first", "--tool", tool, "--command", "true", "--wait");
        await platform.MustAsync("alice", "jobs", "run", "second", "--tool", tool, "--command", "true", "--wait");

        var run = Assert.Single((await platform.JobAsync(tool, "bot")).GetProperty("runs").EnumerateArray());
        Assert.Equal((running.GetProperty("id").GetInt64(), "running"), (run.GetProperty("id").GetInt64(), run.GetProperty("state").GetString()));
        Assert.Equal(1, CountProcesses("sleep", "3301"));
        Assert.Equal(["up"], await File.ReadAllLinesAsync(Path.Combine(platform.HomeOf(tool), "marks")));

        await DeleteAsync(tool, "bot");
        await WaitForItsRunsToEndAsync(tool, "bot");
        Assert.Equal(0, CountProcesses("sleep", "3301"));
        Assert.False(Directory.Exists($"/sys/fs/cgroup/pids/{Platform.CgroupParent}/run-{runId}"), "the bot's cgroup is left");
    }

    /// <summary>
    /// A bot whose fixed port another process listens on: it is not started into a port it cannot
    /// have; it waits, saying which process holds the port, and starts once the port is free.
    /// </summary>
    [RootFact]
    public async Task A_bot_whose_fixed_port_another_process_holds_waits_saying_which_and_starts_once_it_is_free()
    {
        const string tool = "cont-port";
        await platform.MustAsync("alice", "tools", "create", tool);
        var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        await platform.MustAsync("alice", "jobs", "run", "bot", "--tool", tool, "--continuous", "--port", port, "--command", "exec sleep 3303");
        var waiting = await platform.WaitForRunAsync(tool, "bot", run => run.GetProperty("reason").GetString() == "start-deferred");
        var status = (await platform.JobAsync(tool, "bot")).GetProperty("status").GetString();
        holder.Stop();
        var running = await platform.WaitForRunAsync(tool, "bot", IsRunning);

        Assert.StartsWith("waiting to start on ", status, StringComparison.Ordinal);
        Assert.Contains($": port {port} on node ", status, StringComparison.Ordinal);
        Assert.Contains($" is taken by process {Environment.ProcessId} (", status, StringComparison.Ordinal);
        Assert.Contains("; trying again at ", status, StringComparison.Ordinal);
        Assert.Equal(waiting.GetProperty("id").GetInt64(), running.GetProperty("id").GetInt64());

        // Running from the shepherd's started record, which is written before the command's exec.
        await WaitUntilAsync(() => CountProcesses("sleep", "3303") > 0, "the bot's command");
        Assert.Equal(1, CountProcesses("sleep", "3303"));
        await DeleteAsync(tool, "bot");
        await WaitForItsRunsToEndAsync(tool, "bot");
    }

    /// <summary>on-failure is jstart: a command that exits 0 is done, not restarted; one that fails is.</summary>
    [RootFact]
    public async Task Under_on_failure_a_job_that_exits_0_is_completed_and_not_restarted()
    {
        const string tool = "cont-once";
        await platform.MustAsync("alice", "tools", "create", tool);
        await Task.WhenAll(
            platform.MustAsync("alice", "jobs", "run", "done", "--tool", tool, "--continuous", "--restart", "on-failure", "--command", "echo did it"),
            platform.MustAsync("alice", "jobs", "run", "fails", "--tool", tool, "--continuous", "--restart", "on-failure", "--command", "test -f ok || { touch ok; exit 3; }"));

        var done = await WaitForJobAsync(tool, "done", j => j.GetProperty("status").GetString()!.StartsWith("completed", StringComparison.Ordinal));
        Assert.Contains("exited 0", done.GetProperty("status").GetString(), StringComparison.Ordinal);

        // The failing one: restarted once (at once), then it exits 0 and is completed too.
        var fails = await WaitForJobAsync(tool, "fails", j => j.GetProperty("status").GetString()!.StartsWith("completed", StringComparison.Ordinal));
        Assert.Equal(2, fails.GetProperty("runs").GetArrayLength());
        Assert.Equal(3, fails.GetProperty("runs")[1].GetProperty("exitCode").GetInt32());

        // Still done after a controller pass that came after it was completed.
        await platform.ControllerPassAsync("alice", tool);
        done = await platform.JobAsync(tool, "done");
        var run = Assert.Single(done.GetProperty("runs").EnumerateArray());
        Assert.Equal("succeeded", run.GetProperty("state").GetString());
        Assert.Equal(0, run.GetProperty("exitCode").GetInt32());
        Assert.Equal(2, (await platform.JobAsync(tool, "fails")).GetProperty("runs").GetArrayLength());
        Assert.Equal("did it\n", await File.ReadAllTextAsync(Path.Combine(platform.HomeOf(tool), "done.out")));

        var listed = await platform.MustAsync("alice", "jobs", "list", "--tool", tool);
        Assert.Contains("completed", listed, StringComparison.Ordinal);
        await DeleteAsync(tool, "done");
        await DeleteAsync(tool, "fails");
    }

    /// <summary>Backoffs of 10 and 20 s go by in some of these waits: they get more patience, which still only catches a hang.</summary>
    private static readonly TimeSpan Backoffs = TimeSpan.FromSeconds(120);

    /// <summary>Only catches a hang.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    private static bool IsRunning(JsonElement run) => run.GetProperty("state").GetString() == "running";

    private static bool HasActiveRun(JsonElement job) =>
        job.GetProperty("runs").EnumerateArray().Any(r => r.GetProperty("state").GetString() is "queued" or "starting" or "running");

    private static JsonElement? Run(JsonElement job, long runId)
    {
        foreach (var run in job.GetProperty("runs").EnumerateArray())
        {
            if (run.GetProperty("id").GetInt64() == runId)
            {
                return run;
            }
        }

        return null;
    }

    /// <summary>How many processes run exactly this command line.</summary>
    private static int CountProcesses(params string[] commandLine)
    {
        var wanted = string.Join('\0', commandLine) + "\0";
        var count = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "cmdline")) == wanted)
                {
                    count++;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return count;
    }

    private async Task SubmitAsync(string tool, JobRunRequest request)
    {
        using var client = platform.RootClient();
        var answer = await client.PostAsJsonAsync($"/api/v1/tools/{tool}/jobs", request);
        Assert.True(answer.IsSuccessStatusCode, $"{request.Name}: {answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }

    private async Task DeleteAsync(string tool, string job)
    {
        using var client = platform.RootClient();
        var answer = await client.DeleteAsync($"/api/v1/tools/{tool}/jobs/{job}");
        Assert.True(answer.IsSuccessStatusCode, $"{job}: {answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }

    private async Task<JsonElement> WaitForJobAsync(string tool, string job, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = Now + (timeout ?? Patience);
        while (true)
        {
            var view = await platform.JobAsync(tool, job);
            if (condition(view))
            {
                return view;
            }

            if (Now > deadline)
            {
                throw new TimeoutException($"{tool}/{job} did not get there: {view}\n{platform.Log}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }
    }

    /// <summary>Waits until the deleted job's runs have all ended (the job is kept a while after, then purged).</summary>
    private async Task WaitForItsRunsToEndAsync(string tool, string job)
    {
        var deadline = Now + Patience;
        using var client = platform.RootClient();
        while (true)
        {
            var answer = await client.GetAsync($"/api/v1/tools/{tool}/jobs/{job}");
            if (answer.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return;
            }

            var view = await answer.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
            if (view.GetProperty("deleting").GetBoolean() && view.GetProperty("runs").EnumerateArray().All(r => r.GetProperty("finishedAt").ValueKind == JsonValueKind.String))
            {
                return;
            }

            Assert.True(Now < deadline, $"{tool}/{job}'s runs did not all end:\n{view}\n{platform.Log}");
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }
    }

    private async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = Now + Patience;
        while (!condition())
        {
            Assert.True(Now < deadline, $"timed out waiting for {what}:\n{platform.Log}");
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }
    }
}
