using System.Net;
using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Api;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Nodes;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>
/// A tool acting as itself (a token of its own user: whatever the tool runs can reach one) may look
/// at the nodes and queues as anyone may, but can neither drain nor resume a node, nor ask for,
/// grant, revoke or deny a queue; each refusal changes nothing and mails nobody.
/// </summary>
public sealed class ToolCallerAdminTests(ToolCallerApiFactory factory) : IClassFixture<ToolCallerApiFactory>
{
    private const string Tool = ToolCallerApiFactory.Tool;

    private async Task SeedAsync()
    {
        await factory.AddToolAsync(People.Daemon);
        await using var db = factory.Store();
        foreach (var (name, queues) in new[] { ("tc-node1", "default"), ("tc-node2", "default,dedicated"), ("tc-node3", "default") })
        {
            if (!await db.Nodes.AnyAsync(n => n.Name == name))
            {
                db.Nodes.Add(new Node { Name = name, Backend = "gridengine", Queues = queues, Slots = 8, State = NodeState.Up });
            }
        }

        await db.SaveChangesAsync();
    }

    /// <summary>The nodes and queues seeded, and <paramref name="node"/> drained by root for <paramref name="reason"/>.</summary>
    private async Task SeedDrainedAsync(HttpClient root, string node, string reason)
    {
        await SeedAsync();
        await (await root.PostJsonAsync($"/api/v1/nodes/{node}/drain", new { reason })).ReadAsync<NodeEntryView>();
    }

    private async Task<Node> NodeAsync(string name)
    {
        await using var db = factory.Store();
        return await db.Nodes.AsNoTracking().SingleAsync(n => n.Name == name);
    }

    [RootApiFact]
    public async Task The_tools_own_token_is_the_tool_and_may_list_nodes_and_queues_with_the_drain_reason()
    {
        using var root = factory.As(People.Root);
        using var tool = factory.As(ToolCallerApiFactory.ToolUser);
        await SeedDrainedAsync(root, "tc-node3", "disk swap");

        var me = await tool.GetJsonAsync<WhoAmIView>("/api/v1/whoami");
        var nodes = await tool.GetJsonAsync<List<NodeEntryView>>("/api/v1/nodes");
        var queues = await tool.GetJsonAsync<List<QueueView>>("/api/v1/queues");

        Assert.Equal((ToolCallerApiFactory.ToolUser, Tool, false), (me.User, me.Tool, me.Admin));
        Assert.Equal("disk swap", nodes.Single(n => n.Name == "tc-node3").Drain!.Reason);
        Assert.Contains(queues, q => q.Name == "dedicated");
        await (await root.PostJsonAsync("/api/v1/nodes/tc-node3/resume", new { })).ReadAsync<NodeEntryView>();
    }

    [RootApiFact]
    public async Task The_tool_itself_can_neither_drain_nor_resume_a_node()
    {
        using var root = factory.As(People.Root);
        using var tool = factory.As(ToolCallerApiFactory.ToolUser);
        await SeedDrainedAsync(root, "tc-node2", "kernel upgrade");

        using var drain = await tool.PostJsonAsync("/api/v1/nodes/tc-node1/drain", new { reason = "mine now" });
        using var resume = await tool.PostJsonAsync("/api/v1/nodes/tc-node2/resume", new { });

        Assert.Contains("needs an admin", (await drain.ProblemAsync(HttpStatusCode.Forbidden, "admin-required")).Detail, StringComparison.Ordinal);
        Assert.Contains("needs an admin", (await resume.ProblemAsync(HttpStatusCode.Forbidden, "admin-required")).Detail, StringComparison.Ordinal);
        Assert.Null((await NodeAsync("tc-node1")).DrainedAt);
        Assert.Equal("kernel upgrade", (await NodeAsync("tc-node2")).DrainReason);
        await (await root.PostJsonAsync("/api/v1/nodes/tc-node2/resume", new { })).ReadAsync<NodeEntryView>();
    }

    [RootApiFact]
    public async Task A_jobs_token_of_the_tool_such_as_it_can_make_itself_cannot_drain()
    {
        await SeedAsync();
        using var tool = factory.WithToken(factory.AddToken(ToolCallerApiFactory.ToolUser, scope: TokenScope.Jobs));

        using var drain = await tool.PostJsonAsync("/api/v1/nodes/tc-node3/drain", new { reason = "from the tool's bot" });

        Assert.Contains("has scope jobs", (await drain.ProblemAsync(HttpStatusCode.Forbidden, "token-scope")).Detail, StringComparison.Ordinal);
        Assert.Null((await NodeAsync("tc-node3")).DrainedAt);
    }

    [RootApiFact]
    public async Task The_tool_itself_can_neither_ask_for_nor_grant_revoke_or_deny_a_queue()
    {
        await SeedAsync();
        using var root = factory.As(People.Root);
        using var maintainer = factory.As(People.Daemon);
        using var tool = factory.As(ToolCallerApiFactory.ToolUser);

        using var asked = await tool.PostJsonAsync("/api/v1/queues/dedicated/requests", new { tool = Tool, reason = "asked by the tool's own bot" });
        var askedProblem = await asked.ProblemAsync(HttpStatusCode.Forbidden, "person-required");
        await using (var db = factory.Store())
        {
            Assert.False(await db.QueueRequests.AnyAsync(r => r.ToolName == Tool));
        }

        await (await maintainer.PostJsonAsync("/api/v1/queues/dedicated/requests", new { tool = Tool, reason = "nightly dumps" })).ReadAsync<QueueRequestView>(HttpStatusCode.Created);
        using var deny = await tool.PostJsonAsync($"/api/v1/queues/dedicated/requests/{Tool}/deny", new { reason = "no" });
        using var grant = await tool.PutAsync($"/api/v1/queues/dedicated/tools/{Tool}");
        using var requests = await tool.GetAsync("/api/v1/queues/requests");
        await using (var db = factory.Store())
        {
            Assert.Equal(QueueRequestState.Open, (await db.QueueRequests.SingleAsync(r => r.ToolName == Tool)).State);
            Assert.False(await db.QueueGrants.AnyAsync(g => g.ToolName == Tool));
            Assert.Equal(0, await db.Mails.CountAsync(m => m.ToolName == Tool));
        }

        await (await root.PutAsync($"/api/v1/queues/dedicated/tools/{Tool}")).ReadAsync<QueueGrantView>();
        using var revoke = await tool.DeleteAsync($"/api/v1/queues/dedicated/tools/{Tool}");

        Assert.Contains($"not by tool '{Tool}' itself", askedProblem.Detail, StringComparison.Ordinal);
        foreach (var response in new[] { deny, grant, requests, revoke })
        {
            Assert.Contains("needs an admin", (await response.ProblemAsync(HttpStatusCode.Forbidden, "admin-required")).Detail, StringComparison.Ordinal);
        }

        await using (var db = factory.Store())
        {
            Assert.True(await db.QueueGrants.AnyAsync(g => g.ToolName == Tool && g.Queue == "dedicated"));
            Assert.Equal(1, await db.Mails.CountAsync(m => m.ToolName == Tool));
        }
    }
}
