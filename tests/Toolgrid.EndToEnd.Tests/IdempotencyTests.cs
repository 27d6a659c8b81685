using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>A submit whose answer is lost on the way back is sent again by the CLI, and toolgridd answers with the job it made the first time.</summary>
[Collection(SharedPlatform.Name)]
public sealed class IdempotencyTests(Platform platform)
{
    [RootFact]
    public async Task A_submit_whose_answer_was_lost_is_retried_and_gets_its_own_job_not_a_conflict()
    {
        const string tool = "idem-e2e";
        await platform.MustAsync("alice", "tools", "create", tool);
        await using var relay = new DroppingRelay(Path.Combine(platform.Root, "relay.sock"), platform.Socket);

        var result = await platform.CliAsync(null, new Dictionary<string, string> { ["TOOLGRID_API"] = "unix:" + relay.Path }, "jobs", "run", "fetch", "--tool", tool, "--command", "true", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var requests = relay.Requests.ToList();
        Assert.Equal(2, requests.Count);
        var keys = requests.Select(r => r.Split("\r\n").Single(l => l.StartsWith("Idempotency-Key:", StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.Equal(keys[0], keys[1]);
        Assert.Contains("Idempotent-Replayed: true", relay.Answers.Last(), StringComparison.OrdinalIgnoreCase);

        // One job, one run, the one the first request made and the CLI was given.
        var job = await platform.JobAsync(tool, "fetch");
        var run = Assert.Single(job.GetProperty("runs").EnumerateArray());
        using var answered = JsonDocument.Parse(result.Stdout);
        Assert.Equal(run.GetProperty("id").GetInt64(), answered.RootElement.GetProperty("runs")[0].GetProperty("id").GetInt64());
    }
}
