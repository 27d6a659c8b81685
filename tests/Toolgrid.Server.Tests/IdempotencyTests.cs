using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Toolgrid.Contracts.Api;
using Toolgrid.Server.Idempotency;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>The <c>Idempotency-Key</c> header: a retried creating request gets the first answer, not a second job.</summary>
public sealed class IdempotencyTests(FakeClockApiFactory factory) : IClassFixture<FakeClockApiFactory>
{
    [ApiFact]
    public async Task A_retried_submit_with_the_same_key_gets_the_same_job_and_makes_no_second()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("idem-submit");
        const string body = """{"name":"fetch","command":"./fetch.sh"}""";

        using var first = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tools/idem-submit/jobs", body, "submit-1");
        using var retry = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tools/idem-submit/jobs", body, "submit-1");

        var job = await first.ReadAsync<JobView>(HttpStatusCode.Created);
        var again = await retry.ReadAsync<JobView>(HttpStatusCode.Created);
        Assert.Equal(job.Runs.Single().Id, again.Runs.Single().Id);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
        await using var db = factory.Store();
        Assert.Equal(1, await db.Jobs.CountAsync(j => j.ToolName == "idem-submit"));
        Assert.Equal(1, await db.Runs.CountAsync(r => r.ToolName == "idem-submit"));
    }

    [ApiFact]
    public async Task The_same_key_with_another_request_answers_422_and_changes_nothing()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("idem-reuse");
        using (var first = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tools/idem-reuse/jobs", """{"name":"one","command":"true"}""", "reused"))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        var before = await StoreSnapshot.TakeAsync(factory);

        using var other = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tools/idem-reuse/jobs", """{"name":"two","command":"true"}""", "reused");

        var problem = await other.ProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.Contains("Idempotency-Key 'reused' was first sent with another request", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [ApiFact]
    public async Task Keys_are_each_callers_own()
    {
        using var nobody = factory.As(People.Nobody);
        using var daemon = factory.As(People.Daemon);
        await nobody.CreateToolAsync("idem-nobody");
        await daemon.CreateToolAsync("idem-daemon");

        using var mine = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tools/idem-nobody/jobs", """{"name":"same","command":"true"}""", "everyones-key");
        using var theirs = await SendAsync(daemon, HttpMethod.Post, "/api/v1/tools/idem-daemon/jobs", """{"name":"same","command":"true"}""", "everyones-key");

        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
    }

    [ApiFact]
    public async Task A_refusal_is_the_answer_a_retry_gets_too()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("idem-refused");
        const string body = """{"name":"Bad Name","command":"true"}""";

        using var first = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tools/idem-refused/jobs", body, "refused-1");
        using var retry = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tools/idem-refused/jobs", body, "refused-1");

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Contains("'Bad Name' is not a valid job name", (await retry.ValidationProblemAsync()).MessageFor("name"), StringComparison.Ordinal);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
    }

    [ApiFact]
    public async Task A_retried_tool_creation_gets_the_same_tool()
    {
        using var daemon = factory.As(People.Daemon);
        const string body = """{"name":"idem-tool"}""";

        using var first = await SendAsync(daemon, HttpMethod.Post, "/api/v1/tools", body, "tool-1");
        using var retry = await SendAsync(daemon, HttpMethod.Post, "/api/v1/tools", body, "tool-1");

        Assert.Equal((await first.ReadAsync<ToolView>(HttpStatusCode.Created)).CreatedAt, (await retry.ReadAsync<ToolView>(HttpStatusCode.Created)).CreatedAt);
    }

    [ApiFact]
    public async Task A_retried_token_creation_gets_the_same_token_with_a_new_secret_and_the_first_secret_stops_working()
    {
        using var nobody = factory.As(People.Nobody);
        const string body = """{"name":"retried"}""";

        using var first = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tokens", body, "token-1");
        using var retry = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tokens", body, "token-1");

        var made = await first.ReadAsync<TokenView>(HttpStatusCode.Created);
        var again = await retry.ReadAsync<TokenView>(HttpStatusCode.Created);
        Assert.Equal(made with { Secret = null }, again with { Secret = null });
        Assert.NotEqual(made.Secret, again.Secret);
        using (var stale = factory.WithToken(made.Secret!))
        using (var refused = await stale.GetAsync("/api/v1/whoami"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var fresh = factory.WithToken(again.Secret!);
        Assert.Equal(People.Nobody, (await fresh.GetJsonAsync<WhoAmIView>("/api/v1/whoami")).User);
        await using var db = factory.Store();
        var kept = await db.IdempotentRequests.SingleAsync(r => r.Key == "token-1");
        Assert.DoesNotContain(again.Secret!, Encoding.UTF8.GetString(kept.Body!), StringComparison.Ordinal);
        Assert.DoesNotContain(made.Secret!, Encoding.UTF8.GetString(kept.Body!), StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task A_retried_token_creation_after_its_token_was_revoked_answers_409()
    {
        using var nobody = factory.As(People.Nobody);
        using var first = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tokens", """{"name":"gone"}""", "token-2");
        var made = await first.ReadAsync<TokenView>(HttpStatusCode.Created);
        using (var revoked = await nobody.DeleteAsync($"/api/v1/tokens/{made.Id}"))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        using var retry = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tokens", """{"name":"gone"}""", "token-2");

        Assert.Contains("new Idempotency-Key", (await retry.ProblemAsync(HttpStatusCode.Conflict, "token-gone")).Detail, StringComparison.Ordinal);
    }

    [ApiTheory]
    [InlineData("with space")]
    [InlineData("k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789k0123456789")]
    public async Task A_key_that_is_not_one_answers_400_about_it(string key)
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tokens", "{}", key);

        Assert.Contains("visible ASCII", (await response.ValidationProblemAsync()).MessageFor("Idempotency-Key"), StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task A_retry_while_the_first_is_being_answered_is_told_to_wait_until_the_first_must_have_died()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("idem-busy");
        const string body = """{"name":"slow","command":"true"}""";
        using (var first = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tools/idem-busy/jobs", body, "busy-1"))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        // As it stood while the first request was being answered: no answer yet.
        await using (var db = factory.Store())
        {
            await db.IdempotentRequests.Where(r => r.Key == "busy-1").ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, (int?)null));
        }

        using (var busy = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tools/idem-busy/jobs", body, "busy-1"))
        {
            await busy.ProblemAsync(HttpStatusCode.Conflict, "idempotency-key-in-progress");
        }

        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        using var afresh = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tools/idem-busy/jobs", body, "busy-1");

        // Answered again, as a new request: the job made the first time is there.
        await afresh.ProblemAsync(HttpStatusCode.Conflict, "job-exists");
    }

    [ApiFact]
    public async Task Keys_are_kept_a_day_then_trimmed_and_free_again()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("idem-day");
        using (var first = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tools/idem-day/jobs", """{"name":"monday","command":"true"}""", "daily"))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        var trimmer = factory.Services.GetRequiredService<IdempotencyTrimmer>();
        factory.Clock.Advance(TimeSpan.FromHours(23));
        await trimmer.TrimAsync(CancellationToken.None);
        using (var sameDay = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tools/idem-day/jobs", """{"name":"tuesday","command":"true"}""", "daily"))
        {
            await sameDay.ProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        }

        // The trimmer's own hourly pass may come first on the moved clock; either way the key is gone.
        factory.Clock.Advance(TimeSpan.FromHours(1));
        await trimmer.TrimAsync(CancellationToken.None);
        await using (var db = factory.Store())
        {
            Assert.False(await db.IdempotentRequests.AnyAsync(r => r.Key == "daily"));
        }

        using var nextDay = await SendAsync(nobody, HttpMethod.Post, "/api/v1/tools/idem-day/jobs", """{"name":"tuesday","command":"true"}""", "daily");
        Assert.Equal(HttpStatusCode.Created, nextDay.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string body, string key)
    {
        using var request = new HttpRequestMessage(method, Http.Url(path)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await client.SendAsync(request);
    }
}
