using System.Net;
using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Api;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Nodes;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary><c>/api/v1/queues</c>: who may use which queue, the requests for dedicated queues, and the submits they allow or refuse.</summary>
public sealed class QueueEndpointsTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    /// <summary>The nodes a backend would have reported: node1 serves default, node2 default and dedicated.</summary>
    private async Task SeedNodesAsync()
    {
        await using var db = factory.Store();
        foreach (var (name, queues) in new[] { ("node1", "default"), ("node2", "default,dedicated") })
        {
            if (!await db.Nodes.AnyAsync(n => n.Name == name))
            {
                db.Nodes.Add(new Node { Name = name, Backend = "gridengine", Queues = queues, Slots = 8, State = NodeState.Up });
            }
        }

        await db.SaveChangesAsync();
    }

    /// <summary>Two tools of nobody's: <paramref name="requested"/> has asked for the dedicated queue, <paramref name="granted"/> was granted it.</summary>
    private async Task SeedRequestAndGrantAsync(string requested, string granted)
    {
        await SeedNodesAsync();
        using var nobody = factory.As(People.Nobody);
        using var root = factory.As(People.Root);
        await nobody.CreateToolAsync(requested);
        await nobody.CreateToolAsync(granted);
        await (await nobody.PostJsonAsync("/api/v1/queues/dedicated/requests", new { tool = requested, reason = "please" })).ReadAsync<QueueRequestView>(HttpStatusCode.Created);
        await (await root.PutAsync($"/api/v1/queues/dedicated/tools/{granted}")).ReadAsync<QueueGrantView>();
    }

    /// <summary>What <see cref="SeedRequestAndGrantAsync"/> made is as it was: the request open and not granted, the grant kept.</summary>
    private async Task AssertUnchangedAsync(string requested, string granted)
    {
        await using var db = factory.Store();
        Assert.False(await db.QueueGrants.AnyAsync(g => g.ToolName == requested));
        Assert.True(await db.QueueGrants.AnyAsync(g => g.ToolName == granted));
        Assert.Equal(QueueRequestState.Open, (await db.QueueRequests.SingleAsync(r => r.ToolName == requested)).State);
    }

    private async Task<int> MailsAboutAsync(string tool)
    {
        await using var db = factory.Store();
        return await db.Mails.CountAsync(m => m.ToolName == tool);
    }

    [ApiFact]
    public async Task Submit_to_a_dedicated_queue_not_granted_is_refused_with_the_usable_queues_and_how_to_ask_and_stores_nothing()
    {
        await SeedNodesAsync();
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("eager");

        using var run = await nobody.PostJsonAsync("/api/v1/tools/eager/jobs", new { name = "crunch", command = "./crunch", queue = "dedicated" });
        using var apply = await nobody.PostJsonAsync("/api/v1/tools/eager/jobs/apply", new { jobs = new[] { new { name = "nightly", command = "./n", queue = "dedicated" } } });
        using var submit = await nobody.PostJsonAsync("/api/v1/tools/eager/jobs/qsubbed/runs", new { job = new { command = "./q", queue = "dedicated" } });
        using var missing = await nobody.PostJsonAsync("/api/v1/tools/eager/jobs", new { name = "gpu", command = "./gpu", queue = "gpu" });

        var refused = (await run.ValidationProblemAsync()).MessageFor("queue");
        Assert.Equal(
            "tool 'eager' may not use queue 'dedicated'; it may use: default. A maintainer of the tool can ask an admin for it: toolgrid queues request dedicated --tool eager --reason \"what the tool needs it for\".",
            refused);
        Assert.Contains("queues request dedicated --tool eager", (await apply.ValidationProblemAsync()).Detail, StringComparison.Ordinal);
        Assert.Contains("queues request dedicated --tool eager", (await submit.ValidationProblemAsync()).MessageFor("job.queue"), StringComparison.Ordinal);
        Assert.Equal("there is no queue named 'gpu' ('toolgrid queues list' shows them); tool 'eager' may use: default.", (await missing.ValidationProblemAsync()).MessageFor("queue"));
        Assert.Empty(await nobody.ListJobsAsync("eager"));
    }

    [ApiFact]
    public async Task Request_then_grant_lets_the_tool_submit_to_the_queue_and_mails_its_maintainers()
    {
        await SeedNodesAsync();
        using var nobody = factory.As(People.Nobody);
        using var root = factory.As(People.Root);
        await nobody.CreateToolAsync("granted");

        using var asked = await nobody.PostJsonAsync("/api/v1/queues/dedicated/requests", new { tool = "granted", reason = "nightly dumps" });
        var request = await asked.ReadAsync<QueueRequestView>(HttpStatusCode.Created);
        var open = await root.GetJsonAsync<List<QueueRequestView>>("/api/v1/queues/requests");
        using var granting = await root.PutAsync("/api/v1/queues/dedicated/tools/granted");
        var grant = await granting.ReadAsync<QueueGrantView>();
        var job = await nobody.RunJobAsync("granted", new { name = "dump", command = "./dump", queue = "dedicated" });
        var queues = await nobody.GetJsonAsync<List<QueueView>>("/api/v1/queues");

        Assert.Equal(("dedicated", "granted", "nobody", "open"), (request.Queue, request.Tool, request.RequestedBy, request.State));
        Assert.Contains(open, r => r.Id == request.Id && r.Reason == "nightly dumps");
        Assert.Equal(("dedicated", "granted", "root"), (grant.Queue, grant.Tool, grant.GrantedBy));
        Assert.Equal("dedicated", job.Queue);
        Assert.DoesNotContain(await root.GetJsonAsync<List<QueueRequestView>>("/api/v1/queues/requests"), r => r.Id == request.Id);
        var dedicated = Assert.Single(queues, q => q.Name == "dedicated");
        Assert.Equal(["node2"], dedicated.Nodes);
        Assert.Equal((8, "up", false), (dedicated.SlotsTotal, dedicated.State, dedicated.EveryTool));
        Assert.Contains("granted", dedicated.Tools);
        var @default = queues[0];
        Assert.Equal(("default", true, 16), (@default.Name, @default.EveryTool, @default.SlotsTotal));

        await using var db = factory.Store();
        var mail = await db.Mails.SingleAsync(m => m.ToolName == "granted");
        Assert.Equal("[Toolgrid] granted: queue dedicated granted", mail.Subject);
        Assert.Contains("root granted tool granted the queue dedicated", mail.Body, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task A_second_open_request_for_the_same_tool_and_queue_is_refused()
    {
        await SeedNodesAsync();
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("twice");

        using var first = await nobody.PostJsonAsync("/api/v1/queues/dedicated/requests", new { tool = "twice", reason = "one" });
        using var second = await nobody.PostJsonAsync("/api/v1/queues/dedicated/requests", new { tool = "twice", reason = "two" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var problem = await second.ProblemAsync(HttpStatusCode.Conflict, "queue-request-open");
        Assert.Contains("already has an open request for queue 'dedicated', made by nobody", problem.Detail, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task Request_without_reason_for_default_or_for_a_missing_queue_is_refused_clearly()
    {
        await SeedNodesAsync();
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("asker");

        using var noReason = await nobody.PostJsonAsync("/api/v1/queues/dedicated/requests", new { tool = "asker" });
        using var forDefault = await nobody.PostJsonAsync("/api/v1/queues/default/requests", new { tool = "asker", reason = "x" });
        using var missing = await nobody.PostJsonAsync("/api/v1/queues/gpu/requests", new { tool = "asker", reason = "x" });

        Assert.Contains("a reason is required", (await noReason.ValidationProblemAsync()).MessageFor("reason"), StringComparison.Ordinal);
        Assert.Contains("every tool may use 'default'", (await forDefault.ValidationProblemAsync()).MessageFor("queue"), StringComparison.Ordinal);
        Assert.Contains("there is no queue named 'gpu'", (await missing.ProblemAsync(HttpStatusCode.NotFound, "queue-not-found")).Detail, StringComparison.Ordinal);
        await using var db = factory.Store();
        Assert.False(await db.QueueRequests.AnyAsync(r => r.ToolName == "asker"));
    }

    [ApiFact]
    public async Task A_maintainer_of_one_tool_cannot_request_for_another()
    {
        await SeedNodesAsync();
        using var nobody = factory.As(People.Nobody);
        using var daemon = factory.As(People.Daemon);
        await daemon.CreateToolAsync("theirs");

        using var response = await nobody.PostJsonAsync("/api/v1/queues/dedicated/requests", new { tool = "theirs", reason = "mine now" });

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "not-a-maintainer");
        Assert.Contains("maintainers of tool 'theirs' (daemon); nobody is not one", problem.Detail, StringComparison.Ordinal);
        await using var db = factory.Store();
        Assert.False(await db.QueueRequests.AnyAsync(r => r.ToolName == "theirs"));
    }

    [ApiFact]
    public async Task Grant_revoke_deny_and_the_open_requests_are_for_admins_only()
    {
        await SeedNodesAsync();
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("selfish");
        using var asked = await nobody.PostJsonAsync("/api/v1/queues/dedicated/requests", new { tool = "selfish", reason = "please" });

        using var grant = await nobody.PutAsync("/api/v1/queues/dedicated/tools/selfish");
        using var revoke = await nobody.DeleteAsync("/api/v1/queues/dedicated/tools/selfish");
        using var deny = await nobody.PostJsonAsync("/api/v1/queues/dedicated/requests/selfish/deny", new { reason = "no" });
        using var list = await nobody.GetAsync("/api/v1/queues/requests");

        foreach (var response in new[] { grant, revoke, deny, list })
        {
            Assert.Contains("needs an admin", (await response.ProblemAsync(HttpStatusCode.Forbidden, "admin-required")).Detail, StringComparison.Ordinal);
        }

        await using var db = factory.Store();
        Assert.False(await db.QueueGrants.AnyAsync(g => g.ToolName == "selfish"));
        Assert.Equal(QueueRequestState.Open, (await db.QueueRequests.SingleAsync(r => r.ToolName == "selfish")).State);
        Assert.Equal(0, await MailsAboutAsync("selfish"));
    }

    [ApiFact]
    public async Task An_admin_token_of_read_scope_cannot_grant()
    {
        await SeedNodesAsync();
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("scoped");
        using var reader = factory.WithToken(factory.AddToken(People.Root, scope: TokenScope.Read));

        using var response = await reader.PutAsync("/api/v1/queues/dedicated/tools/scoped");

        await response.ProblemAsync(HttpStatusCode.Forbidden, "token-scope");
        await using var db = factory.Store();
        Assert.False(await db.QueueGrants.AnyAsync(g => g.ToolName == "scoped"));
    }

    [ApiFact]
    public async Task An_admins_jobs_token_can_neither_grant_revoke_nor_deny()
    {
        await SeedRequestAndGrantAsync("jobscoped", "jobscoped-two");
        using var jobs = factory.WithToken(factory.AddToken(People.Root, scope: TokenScope.Jobs));

        using var grant = await jobs.PutAsync("/api/v1/queues/dedicated/tools/jobscoped");
        using var deny = await jobs.PostJsonAsync("/api/v1/queues/dedicated/requests/jobscoped/deny", new { reason = "no" });
        using var revoke = await jobs.DeleteAsync("/api/v1/queues/dedicated/tools/jobscoped-two");

        foreach (var response in new[] { grant, deny, revoke })
        {
            Assert.Contains("has scope jobs", (await response.ProblemAsync(HttpStatusCode.Forbidden, "token-scope")).Detail, StringComparison.Ordinal);
        }

        await AssertUnchangedAsync("jobscoped", "jobscoped-two");
        Assert.Equal(1, await MailsAboutAsync("jobscoped-two"));
        Assert.Equal(0, await MailsAboutAsync("jobscoped"));
    }

    [ApiFact]
    public async Task Anonymous_callers_get_nothing()
    {
        await SeedRequestAndGrantAsync("drive-by", "drive-by-two");
        using var anonymous = factory.Anonymous();

        using var list = await anonymous.GetAsync("/api/v1/queues");
        using var requests = await anonymous.GetAsync("/api/v1/queues/requests");
        using var request = await anonymous.PostJsonAsync("/api/v1/queues/dedicated/requests", new { tool = "drive-by-two", reason = "anon" });
        using var grant = await anonymous.PutAsync("/api/v1/queues/dedicated/tools/drive-by");
        using var deny = await anonymous.PostJsonAsync("/api/v1/queues/dedicated/requests/drive-by/deny", new { reason = "no" });
        using var revoke = await anonymous.DeleteAsync("/api/v1/queues/dedicated/tools/drive-by-two");

        foreach (var response in new[] { list, requests, request, grant, deny, revoke })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await AssertUnchangedAsync("drive-by", "drive-by-two");
    }

    [ApiFact]
    public async Task Deny_closes_the_request_with_its_reason_and_mails_the_maintainers()
    {
        await SeedNodesAsync();
        using var nobody = factory.As(People.Nobody);
        using var root = factory.As(People.Root);
        await nobody.CreateToolAsync("denied");
        using var asked = await nobody.PostJsonAsync("/api/v1/queues/dedicated/requests", new { tool = "denied", reason = "faster" });

        using var noReason = await root.PostJsonAsync("/api/v1/queues/dedicated/requests/denied/deny", new { });
        using var denying = await root.PostJsonAsync("/api/v1/queues/dedicated/requests/denied/deny", new { reason = "the dedicated nodes are for web services" });
        var denied = await denying.ReadAsync<QueueRequestView>();
        using var again = await root.PostJsonAsync("/api/v1/queues/dedicated/requests/denied/deny", new { reason = "still no" });

        Assert.Contains("a reason is required", (await noReason.ValidationProblemAsync()).MessageFor("reason"), StringComparison.Ordinal);
        Assert.Equal(("denied", "root", "the dedicated nodes are for web services"), (denied.State, denied.DecidedBy, denied.Answer));
        await again.ProblemAsync(HttpStatusCode.NotFound, "queue-request-not-found");
        await using var db = factory.Store();
        var mail = await db.Mails.SingleAsync(m => m.ToolName == "denied");
        Assert.Contains("Why: the dedicated nodes are for web services", mail.Body, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task Revoke_moves_the_tools_jobs_to_default_refuses_new_submits_and_mails()
    {
        await SeedNodesAsync();
        using var nobody = factory.As(People.Nobody);
        using var root = factory.As(People.Root);
        await nobody.CreateToolAsync("revoked");
        using (var granting = await root.PutAsync("/api/v1/queues/dedicated/tools/revoked"))
        {
            Assert.Equal(HttpStatusCode.OK, granting.StatusCode);
        }

        await nobody.RunJobAsync("revoked", new { name = "bot", command = "./bot", queue = "dedicated", continuous = true });

        using var revoking = await root.DeleteAsync("/api/v1/queues/dedicated/tools/revoked");
        using var refused = await nobody.PostJsonAsync("/api/v1/tools/revoked/jobs", new { name = "other", command = "./o", queue = "dedicated" });
        using var twice = await root.DeleteAsync("/api/v1/queues/dedicated/tools/revoked");

        Assert.Equal(HttpStatusCode.OK, revoking.StatusCode);
        Assert.Equal("default", Assert.Single(await nobody.ListJobsAsync("revoked")).Queue);
        Assert.Contains("may not use queue 'dedicated'", (await refused.ValidationProblemAsync()).MessageFor("queue"), StringComparison.Ordinal);
        await twice.ProblemAsync(HttpStatusCode.NotFound, "queue-not-granted");
        await using var db = factory.Store();
        var mails = await db.Mails.Where(m => m.ToolName == "revoked").OrderBy(m => m.Id).ToListAsync();
        Assert.Equal(["[Toolgrid] revoked: queue dedicated granted", "[Toolgrid] revoked: queue dedicated revoked"], mails.Select(m => m.Subject));
        Assert.Contains("(bot) now ask for default", mails[1].Body, StringComparison.Ordinal);
    }
}
