using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Nodes;
using Toolgrid.Proxy.Tests.Support;

namespace Toolgrid.Proxy.Tests.Status;

/// <summary>The status page shows the nodes (state, queues, runs) and the queues they serve, from a real store.</summary>
public sealed class GridStatusTests : IAsyncLifetime
{
    private ProxyHarness _proxy = null!;

    public async Task InitializeAsync() => _proxy = await ProxyHarness.StartAsync();

    public async Task DisposeAsync() => await _proxy.DisposeAsync();

    [Fact]
    public async Task TheStatusPage_ShowsEachNodesStateAndRuns_AndEachQueueWithNoUsableNodeSaidSo()
    {
        await _proxy.Store.ChangeAsync(db =>
        {
            db.Nodes.Add(new Node { Name = "n1", Backend = "gridengine", Queues = "default", Slots = 8, State = NodeState.Up });
            db.Nodes.Add(new Node { Name = "n2", Backend = "gridengine", Queues = "default,dedicated", Slots = 4, State = NodeState.Draining, DrainedAt = DateTimeOffset.UnixEpoch, DrainReason = "kernel upgrade" });
            return Task.CompletedTask;
        });
        await _proxy.Store.AddToolAsync("bots");
        await _proxy.Store.AddJobAsync("bots", "bot", JobKind.Continuous, RunState.Running);
        await _proxy.Store.ChangeAsync(async db => (await db.Runs.SingleAsync(r => r.ToolName == "bots")).Node = "n2");
        await _proxy.State.RefreshAsync(CancellationToken.None);

        var (_, json) = await _proxy.GetTextAsync("/?format=json");
        var (_, html) = await _proxy.GetTextAsync("/");

        var report = JsonDocument.Parse(json).RootElement;
        var nodes = report.GetProperty("nodes").EnumerateArray().Where(n => n.GetProperty("name").GetString()!.Length == 2).Select(n => (n.GetProperty("name").GetString(), n.GetProperty("state").GetString(), n.GetProperty("runs").GetInt32())).ToList();
        var queues = report.GetProperty("queues").EnumerateArray().Select(q => (q.GetProperty("name").GetString(), q.GetProperty("state").GetString(), string.Join(',', q.GetProperty("nodes").EnumerateArray().Select(n => n.GetString())))).ToList();
        Assert.Equal([("n1", "up", 0), ("n2", "draining", 1)], nodes); // node-1 is the harness's own
        Assert.Equal([("default", "up", "n1,n2,node-1"), ("dedicated", "no usable node", "n2")], queues);
        Assert.Contains("<th scope=\"row\">n2</th><td><span class=\"warning\">draining</span>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">dedicated</th><td><span class=\"down\">no usable node</span>", html, StringComparison.Ordinal);
    }
}
