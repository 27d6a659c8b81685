using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// The grid-era wrappers as a tool's crontab and scripts call them: links to the real binary,
/// run as the tool's own user in its home, against the real toolgridd.
/// </summary>
[Collection(SharedPlatform.Name)]
public sealed class WrapperTests(Platform platform)
{
    private const string Tool = "wrap-one";

    [RootFact]
    public async Task Jsub_submits_with_the_grid_flags_and_appends_the_output_and_job_tells_the_state()
    {
        await EnsureToolAsync();
        var home = platform.HomeOf(Tool);
        var output = Path.Combine(home, "x.out");
        string[] jsub = ["-N", "x", "-mem", "256m", "-once", "-quiet", "-o", output, "/bin/echo", "hi"];

        var first = await WrapperHarness.AsToolAsync(platform, Tool, "jsub", jsub);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("", first.Stdout);
        var job = await platform.JobAsync(Tool, "x");
        Assert.Equal("one-off", job.GetProperty("kind").GetString());
        Assert.Equal("/bin/echo hi", job.GetProperty("command").GetString());
        Assert.Contains("256", job.GetProperty("mem").GetString(), StringComparison.Ordinal);
        Assert.Equal("x.out", job.GetProperty("filelogStdout").GetString());
        var run = await platform.WaitForRunAsync(Tool, "x", r => r.GetProperty("state").GetString() == "succeeded");

        // Done, so 'job x' says none; submitted again, the same file gets a second line.
        var state = await WrapperHarness.AsToolAsync(platform, Tool, "job", "x");
        Assert.True(state.ExitCode == 0, state.ToString());
        var again = await WrapperHarness.AsToolAsync(platform, Tool, "jsub", jsub);
        Assert.True(again.ExitCode == 0, again.ToString());
        await platform.WaitForRunAsync(Tool, "x", r => r.GetProperty("id").GetInt64() != run.GetProperty("id").GetInt64() && r.GetProperty("state").GetString() == "succeeded");
        Assert.Equal("hi\nhi\n", await File.ReadAllTextAsync(output));

        // Not quiet: qsub's answer. The name defaults to the program's basename.
        var loud = await WrapperHarness.AsToolAsync(platform, Tool, "jsub", "/bin/true");
        Assert.True(loud.ExitCode == 0, loud.ToString());
        Assert.Matches("^Your job [0-9]+ \\(\"true\"\\) has been submitted\n$", loud.Stdout);

        // Submitted again once it has ended, the number is the new run's, not the last one's.
        await platform.WaitForRunAsync(Tool, "true", r => r.GetProperty("state").GetString() == "succeeded");
        var rerun = await WrapperHarness.AsToolAsync(platform, Tool, "jsub", "/bin/true");
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        var newest = (await platform.JobAsync(Tool, "true")).GetProperty("runs")[0].GetProperty("id").GetInt64();
        Assert.Equal($"Your job {newest} (\"true\") has been submitted\n", rerun.Stdout);
        Assert.NotEqual(SubmittedNumber(loud.Stdout), newest);

        var none = await WrapperHarness.AsToolAsync(platform, Tool, "job", "no-such-job");
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Contains("No job", none.Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Jstart_keeps_a_bot_running_on_failure_qcronsub_refuses_a_second_copy_and_jstop_stops_it()
    {
        await EnsureToolAsync();
        var start = await WrapperHarness.AsToolAsync(platform, Tool, "jstart", "-N", "bot", "sleep", "100");
        Assert.True(start.ExitCode == 0, start.ToString());
        var job = await platform.JobAsync(Tool, "bot");

        // jstart names the run it queued, as jsub does.
        Assert.Equal(job.GetProperty("runs")[0].GetProperty("id").GetInt64(), SubmittedNumber(start.Stdout));
        Assert.Equal("continuous", job.GetProperty("kind").GetString());
        Assert.Equal("on-failure", job.GetProperty("restart").GetString());
        await platform.WaitForRunAsync(Tool, "bot", r => r.GetProperty("state").GetString() == "running");
        var running = await WrapperHarness.AsToolAsync(platform, Tool, "job", "bot");
        Assert.True(running.ExitCode == 1, running.ToString());

        // From cron, a second copy is refused; as jsub did, the reason goes to ~/NAME.err.
        var cron = await WrapperHarness.AsToolAsync(platform, Tool, "qcronsub", "-N", "bot", "sleep", "100");
        Assert.True(cron.ExitCode == 1, cron.ToString());
        Assert.Contains("qcronsub: there is a continuous job named 'bot'", await File.ReadAllTextAsync(Path.Combine(platform.HomeOf(Tool), "bot.err")), StringComparison.Ordinal);
        Assert.Single((await platform.JobAsync(Tool, "bot")).GetProperty("runs").EnumerateArray());

        var cronJob = await WrapperHarness.AsToolAsync(platform, Tool, "qcronsub", "-N", "hourly", "sleep", "100");
        Assert.True(cronJob.ExitCode == 0, cronJob.ToString());
        await platform.WaitForRunAsync(Tool, "hourly", r => r.GetProperty("state").GetString() == "running");
        var second = await WrapperHarness.AsToolAsync(platform, Tool, "qcronsub", "-N", "hourly", "sleep", "100");
        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Contains("qcronsub: there is a job named 'hourly' already active", await File.ReadAllTextAsync(Path.Combine(platform.HomeOf(Tool), "hourly.err")), StringComparison.Ordinal);
        Assert.Contains("qcronsub: error: there is a job named 'hourly' already active", second.Stderr, StringComparison.Ordinal);
        Assert.Single((await platform.JobAsync(Tool, "hourly")).GetProperty("runs").EnumerateArray());
        Assert.Equal(0, (await WrapperHarness.AsToolAsync(platform, Tool, "jstop", "hourly")).ExitCode);

        var stop = await WrapperHarness.AsToolAsync(platform, Tool, "jstop", "bot");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Contains("has been registered for deletion", stop.Stdout, StringComparison.Ordinal);
        await WrapperHarness.WaitUntilAsync(
            async () => (await WrapperHarness.AsToolAsync(platform, Tool, "job", "-q", "bot")).ExitCode == 0,
            () => platform.Log,
            TimeSpan.FromSeconds(60));

        var unknown = await WrapperHarness.AsToolAsync(platform, Tool, "jstop", "bot");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("denied: job \"bot\" does not exist", unknown.Stderr, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Jsub_without_once_runs_a_second_copy_qstat_lists_both_and_qdel_stops_one()
    {
        await EnsureToolAsync();
        var first = await WrapperHarness.AsToolAsync(platform, Tool, "jsub", "-N", "sleeper", "/bin/sleep", "300");
        Assert.True(first.ExitCode == 0, first.ToString());
        var second = await WrapperHarness.AsToolAsync(platform, Tool, "jsub", "-N", "sleeper", "/bin/sleep", "300");
        Assert.True(second.ExitCode == 0, second.ToString());
        var (one, two) = (SubmittedNumber(first.Stdout), SubmittedNumber(second.Stdout));
        Assert.NotEqual(one, two);
        try
        {
            await WaitForRunAsync("sleeper", two, "running");
            await WaitForRunAsync("sleeper", one, "running");

            var qstat = await WrapperHarness.AsToolAsync(platform, Tool, "qstat");
            Assert.True(qstat.ExitCode == 0, qstat.ToString());
            var lines = qstat.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("job-ID  prior   name       user         state", lines[0], StringComparison.Ordinal);
            foreach (var id in new[] { one, two })
            {
                Assert.Single(lines, l => l.TrimStart().StartsWith($"{id} ", StringComparison.Ordinal) && l.Contains(" sleeper ", StringComparison.Ordinal) && l.Contains(" r ", StringComparison.Ordinal));
            }

            var qdel = await WrapperHarness.AsToolAsync(platform, Tool, "qdel", two.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(qdel.ExitCode == 0, qdel.ToString());
            Assert.Equal($"{WrapperHarness.ToolUser(Tool)} has registered the job {two} for deletion\n", qdel.Stdout);
            await WaitForRunAsync("sleeper", two, "killed");

            // The first copy runs on.
            var job = await platform.JobAsync(Tool, "sleeper");
            Assert.Contains(job.GetProperty("runs").EnumerateArray(), r => r.GetProperty("id").GetInt64() == one && r.GetProperty("state").GetString() == "running");
        }
        finally
        {
            await WrapperHarness.AsToolAsync(platform, Tool, "jstop", "sleeper");
        }
    }

    [RootFact]
    public async Task Job_says_queued_for_a_continuous_job_waiting_to_restart()
    {
        await EnsureToolAsync();
        var start = await WrapperHarness.AsToolAsync(platform, Tool, "jstart", "-N", "flap", "/bin/false");
        Assert.True(start.ExitCode == 0, start.ToString());
        var last = "";
        await WrapperHarness.WaitUntilAsync(
            async () =>
            {
                var state = await WrapperHarness.AsToolAsync(platform, Tool, "job", "flap");
                last = state.ToString();
                return state.ExitCode == 2;
            },
            () => last,
            TimeSpan.FromSeconds(60));
        Assert.Contains("flap", last, StringComparison.Ordinal);
        Assert.Equal(0, (await WrapperHarness.AsToolAsync(platform, Tool, "jstop", "flap")).ExitCode);
    }

    [RootFact]
    public async Task An_unknown_flag_is_an_error_that_names_it_and_submits_nothing()
    {
        await EnsureToolAsync();
        var bad = await WrapperHarness.AsToolAsync(platform, Tool, "jsub", "-N", "never", "-frobnicate", "3", "/bin/true");
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains("-frobnicate", bad.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("jsub: error: ", bad.Stderr, StringComparison.Ordinal);

        var unsupported = await WrapperHarness.AsToolAsync(platform, Tool, "qcronsub", "-N", "never", "-t", "1-10", "/bin/true");
        Assert.True(unsupported.ExitCode == 2, unsupported.ToString());
        Assert.Contains("-t", unsupported.Stderr, StringComparison.Ordinal);
        Assert.Contains("qcronsub: error: ", unsupported.Stderr, StringComparison.Ordinal);

        var job = await WrapperHarness.AsToolAsync(platform, Tool, "job", "-x", "never");
        Assert.True(job.ExitCode == 3, job.ToString());
        Assert.Contains("-x", job.Stderr, StringComparison.Ordinal);

        using var client = platform.RootClient();
        var answer = await client.GetAsync($"/api/v1/tools/{Tool}/jobs/never");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, answer.StatusCode);
    }

    /// <summary>Waits until the run <paramref name="id"/> of <paramref name="job"/> (any of its recent runs) is in <paramref name="state"/>.</summary>
    private Task WaitForRunAsync(string job, long id, string state) =>
        WrapperHarness.WaitUntilAsync(
            async () => (await platform.JobAsync(Tool, job)).GetProperty("runs").EnumerateArray()
                .Any(r => r.GetProperty("id").GetInt64() == id && r.GetProperty("state").GetString() == state),
            () => platform.Log,
            TimeSpan.FromSeconds(60));

    /// <summary>The number in jsub's answer, "Your job 19 (\"x\") has been submitted".</summary>
    private static long SubmittedNumber(string answer)
    {
        var match = System.Text.RegularExpressions.Regex.Match(answer, "^Your job ([0-9]+) ");
        Assert.True(match.Success, $"not qsub's answer: {answer}");
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task EnsureToolAsync()
    {
        using var client = platform.RootClient();
        var answer = await client.GetAsync($"/api/v1/tools/{Tool}");
        if (answer.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            await platform.MustAsync("alice", "tools", "create", Tool);
        }
        else
        {
            using var json = JsonDocument.Parse(await answer.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
            Assert.False(json.RootElement.GetProperty("disabled").GetBoolean());
        }
    }
}
