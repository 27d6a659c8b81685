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
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L1\n");
        var home = platform.HomeOf(Tool);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L2\n");
        var output = Path.Combine(home, "x.out");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L3\n");
        string[] jsub = ["-N", "x", "-mem", "256m", "-once", "-quiet", "-o", output, "/bin/echo", "hi"];
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L4\n");

        var first = await WrapperHarness.AsToolAsync(platform, Tool, "jsub", jsub);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L5\n");
        Assert.True(first.ExitCode == 0, first.ToString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L6\n");
        Assert.Equal("", first.Stdout);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L7\n");
        var job = await platform.JobAsync(Tool, "x");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L8\n");
        Assert.Equal("one-off", job.GetProperty("kind").GetString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L9\n");
        Assert.Equal("/bin/echo hi", job.GetProperty("command").GetString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L10\n");
        Assert.Contains("256", job.GetProperty("mem").GetString(), StringComparison.Ordinal);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L11\n");
        Assert.Equal("x.out", job.GetProperty("filelogStdout").GetString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L12\n");
        var run = await platform.WaitForRunAsync(Tool, "x", r => r.GetProperty("state").GetString() == "succeeded");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L13\n");

        // Done, so 'job x' says none; submitted again, the same file gets a second line.
        var state = await WrapperHarness.AsToolAsync(platform, Tool, "job", "x");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L14\n");
        Assert.True(state.ExitCode == 0, state.ToString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L15\n");
        var again = await WrapperHarness.AsToolAsync(platform, Tool, "jsub", jsub);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L16\n");
        Assert.True(again.ExitCode == 0, again.ToString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L17\n");
        await platform.WaitForRunAsync(Tool, "x", r => r.GetProperty("id").GetInt64() != run.GetProperty("id").GetInt64() && r.GetProperty("state").GetString() == "succeeded");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L18\n");
        Assert.Equal("hi\nhi\n", await File.ReadAllTextAsync(output));
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L19\n");

        // Not quiet: qsub's answer. The name defaults to the program's basename.
        var loud = await WrapperHarness.AsToolAsync(platform, Tool, "jsub", "/bin/true");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L20\n");
        Assert.True(loud.ExitCode == 0, loud.ToString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L21\n");
        Assert.Matches("^Your job [0-9]+ \\(\"true\"\\) has been submitted\n$", loud.Stdout);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L22\n");

        var none = await WrapperHarness.AsToolAsync(platform, Tool, "job", "no-such-job");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L23\n");
        Assert.True(none.ExitCode == 0, none.ToString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L24\n");
        Assert.Contains("No job", none.Stdout, StringComparison.Ordinal);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L25\n");
    }

    [RootFact]
    public async Task Jstart_keeps_a_bot_running_on_failure_qcronsub_refuses_a_second_copy_and_jstop_stops_it()
    {
        await EnsureToolAsync();
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L26\n");
        var start = await WrapperHarness.AsToolAsync(platform, Tool, "jstart", "-N", "bot", "sleep", "100");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L27\n");
        Assert.True(start.ExitCode == 0, start.ToString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L28\n");
        var job = await platform.JobAsync(Tool, "bot");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L29\n");
        Assert.Equal("continuous", job.GetProperty("kind").GetString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L30\n");
        Assert.Equal("on-failure", job.GetProperty("restart").GetString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L31\n");
        await platform.WaitForRunAsync(Tool, "bot", r => r.GetProperty("state").GetString() == "running");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L32\n");
        var running = await WrapperHarness.AsToolAsync(platform, Tool, "job", "bot");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L33\n");
        Assert.True(running.ExitCode == 1, running.ToString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L34\n");

        // From cron, a second copy is refused; as jsub did, the reason goes to ~/NAME.err.
        var cron = await WrapperHarness.AsToolAsync(platform, Tool, "qcronsub", "-N", "bot", "sleep", "100");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L35\n");
        Assert.True(cron.ExitCode == 1, cron.ToString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L36\n");
        Assert.Contains("qcronsub: there is a continuous job named 'bot'", await File.ReadAllTextAsync(Path.Combine(platform.HomeOf(Tool), "bot.err")), StringComparison.Ordinal);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L37\n");
        Assert.Single((await platform.JobAsync(Tool, "bot")).GetProperty("runs").EnumerateArray());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L38\n");

        var cronJob = await WrapperHarness.AsToolAsync(platform, Tool, "qcronsub", "-N", "hourly", "sleep", "100");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L39\n");
        Assert.True(cronJob.ExitCode == 0, cronJob.ToString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L40\n");
        await platform.WaitForRunAsync(Tool, "hourly", r => r.GetProperty("state").GetString() == "running");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L41\n");
        var second = await WrapperHarness.AsToolAsync(platform, Tool, "qcronsub", "-N", "hourly", "sleep", "100");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L42\n");
        Assert.True(second.ExitCode == 1, second.ToString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L43\n");
        Assert.Contains("qcronsub: there is a job named 'hourly' already active", await File.ReadAllTextAsync(Path.Combine(platform.HomeOf(Tool), "hourly.err")), StringComparison.Ordinal);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L44\n");
        Assert.Single((await platform.JobAsync(Tool, "hourly")).GetProperty("runs").EnumerateArray());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L45\n");
        Assert.Equal(0, (await WrapperHarness.AsToolAsync(platform, Tool, "jstop", "hourly")).ExitCode);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L46\n");

        var stop = await WrapperHarness.AsToolAsync(platform, Tool, "jstop", "bot");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L47\n");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L48\n");
        Assert.Contains("has been registered for deletion", stop.Stdout, StringComparison.Ordinal);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L49\n");
        await WrapperHarness.WaitUntilAsync(
            async () => (await WrapperHarness.AsToolAsync(platform, Tool, "job", "-q", "bot")).ExitCode == 0,
            () => platform.Log,
            TimeSpan.FromSeconds(30));

        var unknown = await WrapperHarness.AsToolAsync(platform, Tool, "jstop", "bot");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L50\n");
        Assert.Equal(1, unknown.ExitCode);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L51\n");
        Assert.Contains("denied: job \"bot\" does not exist", unknown.Stderr, StringComparison.Ordinal);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L52\n");
    }

    [RootFact]
    public async Task Job_says_queued_for_a_continuous_job_waiting_to_restart()
    {
        await EnsureToolAsync();
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L53\n");
        var start = await WrapperHarness.AsToolAsync(platform, Tool, "jstart", "-N", "flap", "/bin/false");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L54\n");
        Assert.True(start.ExitCode == 0, start.ToString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L55\n");
        var last = "";
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L56\n");
        await WrapperHarness.WaitUntilAsync(
            async () =>
            {
                var state = await WrapperHarness.AsToolAsync(platform, Tool, "job", "flap");
                last = state.ToString();
                return state.ExitCode == 2;
            },
            () => last,
            TimeSpan.FromSeconds(20));
        Assert.Contains("flap", last, StringComparison.Ordinal);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L57\n");
        Assert.Equal(0, (await WrapperHarness.AsToolAsync(platform, Tool, "jstop", "flap")).ExitCode);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L58\n");
    }

    [RootFact]
    public async Task An_unknown_flag_is_an_error_that_names_it_and_submits_nothing()
    {
        await EnsureToolAsync();
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L59\n");
        var bad = await WrapperHarness.AsToolAsync(platform, Tool, "jsub", "-N", "never", "-frobnicate", "3", "/bin/true");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L60\n");
        Assert.True(bad.ExitCode == 2, bad.ToString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L61\n");
        Assert.Contains("-frobnicate", bad.Stderr, StringComparison.Ordinal);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L62\n");
        Assert.StartsWith("jsub: error: ", bad.Stderr, StringComparison.Ordinal);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L63\n");

        var unsupported = await WrapperHarness.AsToolAsync(platform, Tool, "qcronsub", "-N", "never", "-t", "1-10", "/bin/true");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L64\n");
        Assert.True(unsupported.ExitCode == 2, unsupported.ToString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L65\n");
        Assert.Contains("-t", unsupported.Stderr, StringComparison.Ordinal);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L66\n");
        Assert.Contains("qcronsub: error: ", unsupported.Stderr, StringComparison.Ordinal);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L67\n");

        var job = await WrapperHarness.AsToolAsync(platform, Tool, "job", "-x", "never");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L68\n");
        Assert.True(job.ExitCode == 3, job.ToString());
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L69\n");
        Assert.Contains("-x", job.Stderr, StringComparison.Ordinal);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L70\n");

        using var client = platform.RootClient();
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L71\n");
        var answer = await client.GetAsync($"/api/v1/tools/{Tool}/jobs/never");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L72\n");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, answer.StatusCode);
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L73\n");
    }

    private async Task EnsureToolAsync()
    {
        using var client = platform.RootClient();
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L74\n");
        var answer = await client.GetAsync($"/api/v1/tools/{Tool}");
        File.AppendAllText("/tmp/wt.log", $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} L75\n");
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
