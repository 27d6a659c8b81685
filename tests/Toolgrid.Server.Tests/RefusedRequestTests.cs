using System.Net;
using System.Text;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>docs/api.md: "A refused request changes nothing", in the store or in the tools' homes.</summary>
public sealed class RefusedRequestTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    private const string Anonymous = "";

    /// <summary>Caller, method, path, JSON body ("" for none), the status and error code of the refusal.</summary>
    public static readonly TheoryData<string, string, string, string, int, string> Refusals = new()
    {
        { Anonymous, "POST", "/api/v1/tools", """{"name": "sneaky"}""", 401, "unauthenticated" },
        { People.Nobody, "POST", "/api/v1/tools", """{"name": "Bad!", "description": "x"}""", 400, "validation" },
        { People.Nobody, "POST", "/api/v1/tools", """{"name": "extra", "owner": "root"}""", 400, "validation" },
        { People.Daemon, "POST", "/api/v1/tools", """{"name": "steady"}""", 409, "tool-exists" },
        { People.Daemon, "DELETE", "/api/v1/tools/steady", "", 403, "not-a-maintainer" },
        { People.Daemon, "PUT", "/api/v1/tools/steady/maintainers/daemon", "", 403, "not-a-maintainer" },
        { People.Nobody, "PUT", "/api/v1/tools/steady/maintainers/no-such-person", "", 404, "user-not-found" },
        { People.Nobody, "DELETE", "/api/v1/tools/steady/maintainers/nobody", "", 409, "last-maintainer" },
        { People.Nobody, "PATCH", "/api/v1/tools/steady/limits", """{"maxJobs": "99"}""", 403, "admin-required" },
        { People.Root, "PATCH", "/api/v1/tools/steady/limits", """{"maxMemory": "8Gi", "maxJobs": "0"}""", 400, "validation" },
        { People.Daemon, "POST", "/api/v1/tools/steady/jobs", """{"name": "intruder", "command": "true"}""", 403, "not-a-maintainer" },
        { People.Nobody, "POST", "/api/v1/tools/steady/jobs", """{"name": "fetch", "command": "true"}""", 409, "job-exists" },
        { People.Nobody, "POST", "/api/v1/tools/steady/jobs", """{"name": "greedy", "command": "true", "mem": "64Gi"}""", 400, "validation" },
        { People.Nobody, "POST", "/api/v1/tools/steady/jobs", """{"name": "pathless", "command": "true", "filelogStdout": "../steady2/x"}""", 400, "validation" },
        { People.Daemon, "DELETE", "/api/v1/tools/steady/jobs", "", 403, "not-a-maintainer" },
        { People.Daemon, "DELETE", "/api/v1/tools/steady/jobs/fetch", "", 403, "not-a-maintainer" },
        { People.Nobody, "DELETE", "/api/v1/tools/steady/jobs/fetc", "", 404, "job-not-found" },
        { People.Nobody, "DELETE", "/api/v1/tokens/999999", "", 404, "token-not-found" },
        { People.Nobody, "POST", "/api/v1/tokens", """{"name": "forever", "expiresInDays": 99999}""", 400, "validation" },
    };

    [ApiTheory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_request_changes_nothing(string caller, string method, string path, string body, int status, string errorCode)
    {
        await EnsureSteadyToolAsync();
        using var client = caller == Anonymous ? factory.Anonymous() : factory.As(caller);
        var before = await StoreSnapshot.TakeAsync(factory);
        using var request = new HttpRequestMessage(new HttpMethod(method), Http.Url(path));
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        await response.ProblemAsync((HttpStatusCode)status, errorCode);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    private async Task EnsureSteadyToolAsync()
    {
        using var nobody = factory.As(People.Nobody);
        using var existing = await nobody.GetAsync("/api/v1/tools/steady");
        if (existing.StatusCode == HttpStatusCode.NotFound)
        {
            await nobody.CreateToolAsync("steady");
            await nobody.RunJobAsync("steady", "fetch");
        }
    }
}
