using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>Queues on the local backend, end to end: its node serves <c>default</c> and <c>dedicated</c> (see <see cref="Platform.ServerArguments"/>).</summary>
[Collection(SharedPlatform.Name)]
public sealed class QueueTests(Platform platform)
{
    [RootFact]
    public async Task A_tool_runs_in_a_dedicated_queue_only_once_an_admin_granted_the_request_of_its_maintainer()
    {
        await platform.MustAsync("alice", "tools", "create", "queue-local");
        await platform.MustAsync("bob", "tools", "create", "queue-other");

        var refused = await platform.CliAsync("alice", "jobs", "run", "early", "--tool", "queue-local", "--queue", "dedicated", "--command", "true");
        var forOther = await platform.CliAsync("alice", "queues", "request", "dedicated", "--tool", "queue-other", "--reason", "not mine");
        var selfGrant = await platform.CliAsync("alice", "queues", "grant", "dedicated", "queue-local");
        await platform.MustAsync("alice", "queues", "request", "dedicated", "--tool", "queue-local", "--reason", "needs the dedicated node");
        var requests = await platform.MustAsync(null, "queues", "requests");
        await platform.MustAsync(null, "queues", "grant", "dedicated", "queue-local");
        var ran = await platform.CliAsync("alice", "jobs", "run", "pinned", "--tool", "queue-local", "--queue", "dedicated", "--wait", "--command", "true");
        var list = JsonDocument.Parse(await platform.MustAsync("alice", "queues", "list", "--json")).RootElement;

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("toolgrid queues request dedicated --tool queue-local", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("not one", forOther.Stderr, StringComparison.Ordinal);
        Assert.Contains("needs an admin", selfGrant.Stderr, StringComparison.Ordinal);
        Assert.Contains("needs the dedicated node", requests, StringComparison.Ordinal);
        Assert.True(ran.ExitCode == 0, ran.ToString());
        var run = (await platform.JobAsync("queue-local", "pinned")).GetProperty("runs")[0];
        Assert.Equal("dedicated", run.GetProperty("launchQueue").GetString());
        var dedicated = list.EnumerateArray().Single(q => q.GetProperty("name").GetString() == "dedicated");
        Assert.Equal("up", dedicated.GetProperty("state").GetString());
        Assert.Contains("queue-local", dedicated.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
        Assert.True(list[0].GetProperty("everyTool").GetBoolean());
    }
}
