using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>Scheduled jobs, end to end: a real run on a due minute, a run now, and a timeout.</summary>
[Collection(SharedPlatform.Name)]
public sealed class ScheduledTests(Platform platform)
{
    private static readonly string[] Jobs = ["tick", "yearly", "slow"];

    /// <summary>
    /// A job due every minute runs for its due minute, once, and not before it; <c>jobs restart</c>
    /// runs a yearly job now without moving its schedule; <c>--timeout 2s</c> on <c>sleep 30</c>
    /// ends it "timed out". One test, so the wait for the minute covers the other two. How late
    /// after its due time a run starts is the benchmark's figure (<c>bench/run.sh</c>, the held
    /// schedules' <c>startedAt − dueAt</c>), not a promise of this test.
    /// </summary>
    [RootFact]
    public async Task A_minutely_job_runs_at_its_due_minute_restart_runs_a_job_now_and_a_timeout_stops_a_run()
    {
        const string tool = "sched";
        await platform.MustAsync("alice", "tools", "create", tool);
        await Task.WhenAll(
            platform.MustAsync("alice", "jobs", "run", "tick", "--tool", tool, "--schedule", "* * * * *", "--command", "date +%s"),
            platform.MustAsync("alice", "jobs", "run", "yearly", "--tool", tool, "--schedule", "0 0 1 1 *", "--timezone", "Europe/Berlin", "--command", "echo now"),
            platform.MustAsync("alice", "jobs", "run", "slow", "--tool", tool, "--schedule", "0 0 1 1 *", "--timeout", "2s", "--command", "sleep 30"));

        // Run now: a run with no due time, and the schedule's next runs are unchanged.
        var before = await platform.JobAsync(tool, "yearly");
        var nextRuns = before.GetProperty("nextRuns").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList();
        Assert.NotEmpty(nextRuns);
        Assert.All(nextRuns, t => Assert.Equal(new TimeSpan(0, 0, 0), t.ToOffset(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin").GetUtcOffset(t)).TimeOfDay));
        Assert.Equal(0, before.GetProperty("runs").GetArrayLength());
        await platform.MustAsync("alice", "jobs", "restart", "yearly", "--tool", tool);
        var ran = await platform.WaitForRunAsync(tool, "yearly", r => r.GetProperty("state").GetString() == "succeeded");
        Assert.False(ran.TryGetProperty("dueAt", out var manualDue) && manualDue.ValueKind == JsonValueKind.String, $"a run now has no due time: {ran}");
        Assert.Equal(0, ran.GetProperty("exitCode").GetInt32());
        var after = await platform.JobAsync(tool, "yearly");
        Assert.Equal(nextRuns, after.GetProperty("nextRuns").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList());
        Assert.Contains("last run succeeded", after.GetProperty("status").GetString(), StringComparison.Ordinal);

        // A timeout: stopped "timed out" (not run to its end: that would be "exited"), and not
        // before its 2 s were up.
        await platform.MustAsync("alice", "jobs", "restart", "slow", "--tool", tool);
        var slow = await platform.WaitForRunAsync(tool, "slow", r => r.GetProperty("finishedAt").ValueKind == JsonValueKind.String);
        Assert.Equal("timed-out", slow.GetProperty("reason").GetString());
        var took = slow.GetProperty("finishedAt").GetDateTimeOffset() - slow.GetProperty("startedAt").GetDateTimeOffset();
        Assert.True(took >= TimeSpan.FromSeconds(1.9), $"stopped after {took}, before its 2 s timeout");
        var slowJob = await platform.JobAsync(tool, "slow");
        Assert.Contains("timed", slowJob.GetProperty("status").GetString(), StringComparison.Ordinal);
        Assert.Contains("timed", await platform.MustAsync("alice", "jobs", "list", "--tool", tool), StringComparison.Ordinal);

        // The minutely job: its first due minute comes within 60 s; it runs once for it, not before it.
        var tick = await platform.WaitForRunAsync(tool, "tick", r => r.GetProperty("state").GetString() == "succeeded", TimeSpan.FromSeconds(180));
        var due = tick.GetProperty("dueAt").GetDateTimeOffset();
        Assert.Equal(0, due.Second);
        Assert.Equal(0, due.Millisecond);
        Assert.True(tick.GetProperty("startedAt").GetDateTimeOffset() >= due, $"started before its due time: {tick}");
        var tickJob = await platform.JobAsync(tool, "tick");
        Assert.Single(tickJob.GetProperty("runs").EnumerateArray(), r => r.GetProperty("dueAt").GetDateTimeOffset() == due);
        var printed = long.Parse((await File.ReadAllTextAsync(Path.Combine(platform.HomeOf(tool), "tick.out"))).Trim().Split('\n')[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(printed >= due.ToUnixTimeSeconds(), $"the command ran at {printed}, before its due time {due.ToUnixTimeSeconds()}");
        // The next due time is a later minute: the next one, or (on a machine slow enough that the
        // next minute's run was set up ahead meanwhile) one after it.
        var next = tickJob.GetProperty("nextRuns")[0].GetDateTimeOffset() - due;
        Assert.True(next >= TimeSpan.FromMinutes(1) && next.Ticks % TimeSpan.TicksPerMinute == 0, $"the next run is {next} after {due:O}");

        await Task.WhenAll(Jobs.Select(job => platform.MustAsync("alice", "jobs", "delete", job, "--tool", tool)));
    }
}
