using System.Net;
using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Nodes;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>
/// <c>/api/v1/nodes</c>: anyone signed in lists the nodes; only admins drain and resume them, and a
/// refused or bad request changes nothing.
/// </summary>
public sealed class NodeEndpointsTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    private async Task AddNodeAsync(string name, NodeState state = NodeState.Up)
    {
        await using var db = factory.Store();
        db.Nodes.Add(new Node { Name = name, Backend = "local", State = state, Slots = 4, MemoryBytes = 1L << 32, CpuMillis = 2000, LoadAverage = 0.5 });
        await db.SaveChangesAsync();
    }

    private async Task<Node> StoredAsync(string name)
    {
        await using var db = factory.Store();
        return await db.Nodes.AsNoTracking().SingleAsync(n => n.Name == name);
    }

    private static async Task<NodeEntryView> EntryAsync(HttpClient client, string name) =>
        (await client.GetJsonAsync<List<NodeEntryView>>("/api/v1/nodes")).Single(n => n.Name == name);

    [ApiFact]
    public async Task An_admin_drains_a_node_the_list_shows_it_and_resume_undoes_it()
    {
        await AddNodeAsync("exec-a");
        using var root = factory.As(People.Root);
        using var nobody = factory.As(People.Nobody);

        var drained = await (await root.PostJsonAsync("/api/v1/nodes/exec-a/drain", new { reason = "  kernel upgrade " })).ReadAsync<NodeEntryView>();
        var seen = await EntryAsync(nobody, "exec-a");

        Assert.Equal("drained", drained.State);
        Assert.Equal("kernel upgrade", drained.Drain!.Reason);
        Assert.Equal(People.Root, drained.Drain.By);
        Assert.False(drained.Drain.Applied);
        Assert.Equal((drained.State, drained.Drain.Reason, drained.Drain.At), (seen.State, seen.Drain?.Reason, seen.Drain?.At));
        Assert.Equal(0.5, seen.Load);

        var resumed = await (await root.PostJsonAsync("/api/v1/nodes/exec-a/resume", new { })).ReadAsync<NodeEntryView>();
        Assert.Equal("up", resumed.State);
        Assert.Null(resumed.Drain);
        Assert.Null((await StoredAsync("exec-a")).DrainedAt);
    }

    [ApiFact]
    public async Task A_maintainer_who_is_not_an_admin_is_refused_and_the_node_stays_up()
    {
        await AddNodeAsync("exec-b");
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.PostJsonAsync("/api/v1/nodes/exec-b/drain", new { reason = "mine now" });

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "admin-required");
        Assert.Contains("needs an admin", problem.Detail, StringComparison.Ordinal);
        Assert.Null((await StoredAsync("exec-b")).DrainedAt);
    }

    [ApiFact]
    public async Task An_admins_read_only_token_and_an_anonymous_visitor_are_refused()
    {
        await AddNodeAsync("exec-d");
        using var readOnly = factory.WithToken(factory.AddToken(People.Root, scope: TokenScope.Read));
        using var anonymous = factory.Anonymous();

        using var scoped = await readOnly.PostJsonAsync("/api/v1/nodes/exec-d/drain", new { reason = "leaked token" });
        using var nobody = await anonymous.PostJsonAsync("/api/v1/nodes/exec-d/drain", new { reason = "drive-by" });
        using var listed = await anonymous.GetAsync("/api/v1/nodes");

        await scoped.ProblemAsync(HttpStatusCode.Forbidden, "token-scope");
        Assert.Equal(HttpStatusCode.Unauthorized, nobody.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, listed.StatusCode);
        Assert.Null((await StoredAsync("exec-d")).DrainedAt);
    }

    [ApiFact]
    public async Task A_maintainer_who_is_not_an_admin_cannot_resume_a_drained_node()
    {
        await AddNodeAsync("exec-h");
        using var root = factory.As(People.Root);
        using var nobody = factory.As(People.Nobody);
        await (await root.PostJsonAsync("/api/v1/nodes/exec-h/drain", new { reason = "bad disk" })).ReadAsync<NodeEntryView>();

        using var response = await nobody.PostJsonAsync("/api/v1/nodes/exec-h/resume", new { });

        Assert.Contains("needs an admin", (await response.ProblemAsync(HttpStatusCode.Forbidden, "admin-required")).Detail, StringComparison.Ordinal);
        Assert.Equal("bad disk", (await StoredAsync("exec-h")).DrainReason);
    }

    [ApiFact]
    public async Task An_admins_jobs_token_can_neither_drain_nor_resume_and_an_anonymous_visitor_cannot_resume()
    {
        // Down, so that it is no node the runs of another test could move to.
        await AddNodeAsync("exec-i", NodeState.Down);
        await AddNodeAsync("exec-j");
        using var root = factory.As(People.Root);
        using var jobs = factory.WithToken(factory.AddToken(People.Root, scope: TokenScope.Jobs));
        using var anonymous = factory.Anonymous();
        await (await root.PostJsonAsync("/api/v1/nodes/exec-j/drain", new { reason = "memory test" })).ReadAsync<NodeEntryView>();

        using var drain = await jobs.PostJsonAsync("/api/v1/nodes/exec-i/drain", new { reason = "leaked token" });
        using var resume = await jobs.PostJsonAsync("/api/v1/nodes/exec-j/resume", new { });
        using var anonymousResume = await anonymous.PostJsonAsync("/api/v1/nodes/exec-j/resume", new { });

        Assert.Contains("has scope jobs", (await drain.ProblemAsync(HttpStatusCode.Forbidden, "token-scope")).Detail, StringComparison.Ordinal);
        Assert.Contains("has scope jobs", (await resume.ProblemAsync(HttpStatusCode.Forbidden, "token-scope")).Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousResume.StatusCode);
        Assert.Null((await StoredAsync("exec-i")).DrainedAt);
        Assert.Equal("memory test", (await StoredAsync("exec-j")).DrainReason);
    }

    [ApiFact]
    public async Task Unknown_node_already_drained_and_bad_reasons_are_clear_errors_that_change_nothing()
    {
        await AddNodeAsync("exec-e");
        using var root = factory.As(People.Root);
        await (await root.PostJsonAsync("/api/v1/nodes/exec-e/drain", new { reason = "first" })).ReadAsync<NodeEntryView>();
        var before = await StoredAsync("exec-e");

        using var unknown = await root.PostJsonAsync("/api/v1/nodes/no-such-node/drain", new { reason = "x" });
        using var again = await root.PostJsonAsync("/api/v1/nodes/exec-e/drain", new { reason = "second" });
        using var empty = await root.PostJsonAsync("/api/v1/nodes/exec-e/drain", new { reason = " " });
        using var missing = await root.PostJsonAsync("/api/v1/nodes/exec-e/drain", new { });
        using var twoLines = await root.PostJsonAsync("/api/v1/nodes/exec-e/drain", new { reason = "a\nb" });
        using var tooLong = await root.PostJsonAsync("/api/v1/nodes/exec-e/drain", new { reason = new string('x', 201) });
        using var unknownField = await root.PostJsonAsync("/api/v1/nodes/exec-e/drain", new { reason = "ok", force = true });
        using var resumeUnknown = await root.PostJsonAsync("/api/v1/nodes/no-such-node/resume", new { });

        Assert.Contains("toolgrid nodes list", (await unknown.ProblemAsync(HttpStatusCode.NotFound, "node-not-found")).Detail, StringComparison.Ordinal);
        Assert.Contains("already drained (by root: first)", (await again.ProblemAsync(HttpStatusCode.Conflict, "node-already-drained")).Detail, StringComparison.Ordinal);
        Assert.Contains("needs a reason", (await empty.ValidationProblemAsync()).MessageFor("reason"), StringComparison.Ordinal);
        Assert.Contains("needs a reason", (await missing.ValidationProblemAsync()).MessageFor("reason"), StringComparison.Ordinal);
        Assert.Contains("one line", (await twoLines.ValidationProblemAsync()).MessageFor("reason"), StringComparison.Ordinal);
        Assert.Contains("at most 200", (await tooLong.ValidationProblemAsync()).MessageFor("reason"), StringComparison.Ordinal);
        Assert.Contains("force", (await unknownField.ValidationProblemAsync()).Fields);
        await resumeUnknown.ProblemAsync(HttpStatusCode.NotFound, "node-not-found");

        var after = await StoredAsync("exec-e");
        Assert.Equal((before.DrainReason, before.DrainedAt, before.DrainedBy), (after.DrainReason, after.DrainedAt, after.DrainedBy));
    }

    [ApiFact]
    public async Task Resuming_a_node_that_is_not_drained_is_a_conflict()
    {
        await AddNodeAsync("exec-f");
        using var root = factory.As(People.Root);

        using var response = await root.PostJsonAsync("/api/v1/nodes/exec-f/resume", new { });

        Assert.Contains("is not drained", (await response.ProblemAsync(HttpStatusCode.Conflict, "node-not-drained")).Detail, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task A_continuous_job_no_other_node_can_take_keeps_the_drain_waiting_and_status_says_so()
    {
        await AddNodeAsync("exec-g");
        using var root = factory.As(People.Root);
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("stayer");
        await nobody.RunJobAsync("stayer", new { name = "bot", command = "./bot", continuous = true });
        await using (var db = factory.Store())
        {
            var run = await db.Runs.SingleAsync(r => r.ToolName == "stayer" && r.JobName == "bot");
            run.State = RunState.Running;
            run.Reason = RunReason.Started;
            run.Node = "exec-g";
            await db.SaveChangesAsync();
        }

        await (await root.PostJsonAsync("/api/v1/nodes/exec-g/drain", new { reason = "disk swap" })).ReadAsync<NodeEntryView>();
        await using (var db = factory.Store())
        {
            await db.Nodes.Where(n => n.Name == "exec-g").ExecuteUpdateAsync(s => s.SetProperty(n => n.EngineDrained, true).SetProperty(n => n.State, NodeState.Draining));
        }

        var entry = await EntryAsync(nobody, "exec-g");
        var status = await nobody.GetJsonAsync<StatusView>("/api/v1/status");

        Assert.Equal("draining", entry.State);
        var wait = Assert.Single(entry.Drain!.WaitsOn);
        Assert.Equal(("stayer", "bot"), (wait.Tool, wait.Job));
        Assert.Contains("no other node", wait.Why, StringComparison.Ordinal);
        var shown = status.Nodes.Single(n => n.Name == "exec-g");
        Assert.Equal("draining", shown.State);
        Assert.Equal(wait, Assert.Single(shown.Drain!.WaitsOn));

        // The queues too: default, with the drained node among its nodes and no slots of it.
        var queue = status.Queues![0];
        Assert.Equal("default", queue.Name);
        Assert.Contains("exec-g", queue.Nodes);
    }
}
