using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Toolgrid.Contracts.Api;
using Toolgrid.Core.Identity;
using Toolgrid.Server.Identity;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>What a token of each scope may do: <c>read</c> looks, <c>jobs</c> also runs jobs, <c>admin</c> also changes tools, maintainers and tokens.</summary>
public sealed class TokenScopeTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    /// <summary>Every endpoint of the API with the scope a request to it needs.</summary>
    public static readonly TheoryData<string, string, TokenScope> Endpoints = new()
    {
        { "GET", "/api/v1/whoami", TokenScope.Read },
        { "GET", "/api/v1/status", TokenScope.Read },
        { "GET", "/api/v1/tools/", TokenScope.Read },
        { "POST", "/api/v1/tools/", TokenScope.Admin },
        { "GET", "/api/v1/tools/{tool}", TokenScope.Read },
        { "DELETE", "/api/v1/tools/{tool}", TokenScope.Admin },
        { "PATCH", "/api/v1/tools/{tool}", TokenScope.Admin },
        { "PATCH", "/api/v1/tools/{tool}/limits", TokenScope.Admin },
        { "GET", "/api/v1/tools/{tool}/maintainers/", TokenScope.Read },
        { "PUT", "/api/v1/tools/{tool}/maintainers/{user}", TokenScope.Admin },
        { "DELETE", "/api/v1/tools/{tool}/maintainers/{user}", TokenScope.Admin },
        { "GET", "/api/v1/tools/{tool}/jobs/", TokenScope.Read },
        { "POST", "/api/v1/tools/{tool}/jobs/", TokenScope.Jobs },
        { "DELETE", "/api/v1/tools/{tool}/jobs/", TokenScope.Jobs },
        { "GET", "/api/v1/tools/{tool}/jobs/{job}", TokenScope.Read },
        { "DELETE", "/api/v1/tools/{tool}/jobs/{job}", TokenScope.Jobs },
        { "POST", "/api/v1/tools/{tool}/jobs/{job}/restart", TokenScope.Jobs },
        { "POST", "/api/v1/tools/{tool}/jobs/apply", TokenScope.Jobs },
        { "POST", "/api/v1/tools/{tool}/jobs/{job}/runs", TokenScope.Jobs },
        { "DELETE", "/api/v1/tools/{tool}/runs/{run:long}", TokenScope.Jobs },
        { "GET", "/api/v1/tools/{tool}/jobs/{job}/logs", TokenScope.Read },
        { "GET", "/api/v1/tools/{tool}/shell", TokenScope.Jobs },
        { "GET", "/api/v1/tools/{tool}/webservice/", TokenScope.Read },
        { "POST", "/api/v1/tools/{tool}/webservice/", TokenScope.Jobs },
        { "DELETE", "/api/v1/tools/{tool}/webservice/", TokenScope.Jobs },
        { "POST", "/api/v1/tools/{tool}/webservice/restart", TokenScope.Jobs },
        { "GET", "/api/v1/tokens/", TokenScope.Read },
        { "POST", "/api/v1/tokens/", TokenScope.Admin },
        { "DELETE", "/api/v1/tokens/{id:long}", TokenScope.Read },
        { "GET", "/api/v1/users/{user}/limits", TokenScope.Read },
        { "PATCH", "/api/v1/users/{user}/limits", TokenScope.Admin },
        { "GET", "/api/v1/nodes/", TokenScope.Read },
        { "POST", "/api/v1/nodes/{node}/drain", TokenScope.Admin },
        { "POST", "/api/v1/nodes/{node}/resume", TokenScope.Admin },
        { "GET", "/api/v1/queues/", TokenScope.Read },
        { "GET", "/api/v1/queues/requests", TokenScope.Read },
        { "POST", "/api/v1/queues/{queue}/requests", TokenScope.Admin },
        { "POST", "/api/v1/queues/{queue}/requests/{tool}/deny", TokenScope.Admin },
        { "PUT", "/api/v1/queues/{queue}/tools/{tool}", TokenScope.Admin },
        { "DELETE", "/api/v1/queues/{queue}/tools/{tool}", TokenScope.Admin },
    };

    [ApiFact]
    public void Every_endpoint_of_the_API_needs_the_scope_listed_here()
    {
        using var client = factory.Anonymous();
        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true && e.RoutePattern.RawText != "/api/v1/openapi.json")
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Path: e.RoutePattern.RawText!, Scope: RequiredScope.For(e, m))))
            .OrderBy(e => e.Path, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)
            .ToList();
        var listed = Endpoints.Select(row => ((string)row[0], (string)row[1], (TokenScope)row[2]))
            .OrderBy(e => e.Item2, StringComparer.Ordinal).ThenBy(e => e.Item1, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(listed, mapped);
    }

    [ApiFact]
    public async Task A_read_token_may_look_and_gets_403_on_any_change_which_changes_nothing()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("scope-read");
        await nobody.RunJobAsync("scope-read", "existing");
        using var read = factory.WithToken(factory.AddToken(People.Nobody, scope: TokenScope.Read));
        var before = await StoreSnapshot.TakeAsync(factory);

        Assert.Single(await read.ListJobsAsync("scope-read"));
        foreach (var (method, path, body) in new (string, string, object?)[]
        {
            ("POST", "/api/v1/tools/scope-read/jobs", new { name = "more", command = "true" }),
            ("DELETE", "/api/v1/tools/scope-read/jobs/existing", null),
            ("POST", "/api/v1/tools/scope-read/jobs/existing/restart", null),
            ("PUT", "/api/v1/tools/scope-read/maintainers/daemon", null),
            ("PATCH", "/api/v1/tools/scope-read", new { description = "changed" }),
            ("POST", "/api/v1/tools", new { name = "scope-read-two" }),
            ("POST", "/api/v1/tokens", new { name = "more" }),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Http.Url(path));
            if (body is not null)
            {
                request.Content = System.Net.Http.Json.JsonContent.Create(body, body.GetType(), options: Http.Json);
            }

            using var response = await read.SendAsync(request);
            var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "token-scope");
            Assert.Contains("has scope read", problem.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [ApiFact]
    public async Task A_jobs_token_runs_jobs_but_gets_403_on_tools_maintainers_and_tokens()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("scope-jobs");
        using var jobs = factory.WithToken(factory.AddToken(People.Nobody, scope: TokenScope.Jobs));

        await jobs.RunJobAsync("scope-jobs", "allowed");
        using (var restart = await jobs.PostJsonAsync("/api/v1/tools/scope-jobs/jobs/allowed/restart", new { }))
        {
            Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        }

        // As jsub and qdel do: submit by name, stop one run.
        using (var submitted = await jobs.PostJsonAsync("/api/v1/tools/scope-jobs/jobs/by-name/runs", new { job = new { command = "./fetch.sh" } }))
        {
            var run = Assert.Single((await submitted.ReadAsync<JobView>(HttpStatusCode.Created)).Runs);
            using var stopped = await jobs.DeleteAsync($"/api/v1/tools/scope-jobs/runs/{run.Id}");
            Assert.Equal(HttpStatusCode.Accepted, stopped.StatusCode);
        }

        var before = await StoreSnapshot.TakeAsync(factory);
        using (var maintainer = await jobs.PutAsync("/api/v1/tools/scope-jobs/maintainers/daemon"))
        {
            await maintainer.ProblemAsync(HttpStatusCode.Forbidden, "token-scope");
        }

        using (var tool = await jobs.PostJsonAsync("/api/v1/tools", new { name = "scope-jobs-two" }))
        {
            await tool.ProblemAsync(HttpStatusCode.Forbidden, "token-scope");
        }

        using (var deleted = await jobs.DeleteAsync("/api/v1/tools/scope-jobs"))
        {
            await deleted.ProblemAsync(HttpStatusCode.Forbidden, "token-scope");
        }

        using (var token = await jobs.PostJsonAsync("/api/v1/tokens", new { name = "escalate", scope = "admin" }))
        {
            var problem = await token.ProblemAsync(HttpStatusCode.Forbidden, "token-scope");
            Assert.Contains("needs a token with scope admin", problem.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [ApiFact]
    public async Task A_token_of_any_scope_may_revoke_itself_but_not_another()
    {
        var other = factory.AddToken(People.Nobody);
        using var read = factory.WithToken(factory.AddToken(People.Nobody, scope: TokenScope.Read));
        var mine = await read.GetJsonAsync<List<TokenView>>("/api/v1/tokens");
        var otherId = mine.Max(t => t.Id) - 1;

        using (var refused = await read.DeleteAsync($"/api/v1/tokens/{otherId}"))
        {
            await refused.ProblemAsync(HttpStatusCode.Forbidden, "token-scope");
        }

        using var self = await read.DeleteAsync($"/api/v1/tokens/{mine.Max(t => t.Id)}");

        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        using var stillWorks = factory.WithToken(other);
        Assert.Equal(People.Nobody, (await stillWorks.GetJsonAsync<WhoAmIView>("/api/v1/whoami")).User);
    }

    [ApiFact]
    public async Task Whoami_says_the_tokens_scope()
    {
        using var read = factory.WithToken(factory.AddToken(People.Daemon, scope: TokenScope.Read));

        var me = await read.GetJsonAsync<WhoAmIView>("/api/v1/whoami");

        Assert.Equal(("read", "token"), (me.Scope, me.Via));
        Assert.Empty(me.ApiUrls!);
    }
}
