using System.Net;
using Toolgrid.Contracts.Api;
using Toolgrid.Core.Identity;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary><c>/api/v1/tokens</c>: a caller's bearer tokens.</summary>
public sealed class TokenEndpointsTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    [ApiFact]
    public async Task Create_shows_the_secret_once_and_the_secret_then_works()
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.PostJsonAsync("/api/v1/tokens", new { name = "laptop" });

        var token = await response.ReadAsync<TokenView>(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/tokens/{token.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(("laptop", People.Nobody, "jobs"), (token.Name, token.User, token.Scope));
        Assert.InRange(token.ExpiresAt, token.CreatedAt.AddDays(90).AddSeconds(-1), token.CreatedAt.AddDays(90));
        Assert.StartsWith("tg_", token.Secret, StringComparison.Ordinal);
        using var laptop = factory.WithToken(token.Secret!);
        Assert.Equal(People.Nobody, (await laptop.GetJsonAsync<WhoAmIView>("/api/v1/whoami")).User);
    }

    [ApiFact]
    public async Task List_shows_the_callers_tokens_without_their_secrets()
    {
        using var nobody = factory.As(People.Nobody);
        using var created = await nobody.PostJsonAsync("/api/v1/tokens", new { name = "listed" });
        var token = await created.ReadAsync<TokenView>(HttpStatusCode.Created);

        using var response = await nobody.GetAsync("/api/v1/tokens");

        var text = await response.Content.ReadAsStringAsync();
        var tokens = await response.ReadAsync<List<TokenView>>();
        Assert.DoesNotContain(token.Secret!, text, StringComparison.Ordinal);
        var listed = Assert.Single(tokens, t => t.Id == token.Id);
        Assert.Null(listed.Secret);
        Assert.All(tokens, t => Assert.Equal(People.Nobody, t.User));
    }

    [ApiFact]
    public async Task Create_with_expiry_sets_when_it_expires()
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.PostJsonAsync("/api/v1/tokens", new { name = "week", expiresInDays = 7 });

        var token = await response.ReadAsync<TokenView>(HttpStatusCode.Created);
        Assert.InRange(token.ExpiresAt, token.CreatedAt.AddDays(7).AddSeconds(-1), token.CreatedAt.AddDays(7));
    }

    [ApiTheory]
    [InlineData(365, HttpStatusCode.Created)]
    [InlineData(366, HttpStatusCode.BadRequest)]
    public async Task Create_lives_at_most_the_sites_maximum_of_365_days(int days, HttpStatusCode status)
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.PostJsonAsync("/api/v1/tokens", new { expiresInDays = days });

        Assert.Equal(status, response.StatusCode);
    }

    [ApiFact]
    public async Task Create_with_a_token_records_it_as_the_parent_and_lives_no_longer_than_it()
    {
        var now = TimeProvider.System.GetUtcNow();
        var parentExpires = now.AddDays(10).AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        var parentSecret = factory.AddToken(People.Nobody, expiresAt: parentExpires);
        using var parent = factory.WithToken(parentSecret);
        var parentId = (await parent.GetJsonAsync<List<TokenView>>("/api/v1/tokens")).Single(t => t.ExpiresAt == parentExpires).Id;

        using var response = await parent.PostJsonAsync("/api/v1/tokens", new { name = "child", scope = "read", expiresInDays = 30 });

        var child = await response.ReadAsync<TokenView>(HttpStatusCode.Created);
        Assert.Equal((parentId, $"token {parentId}", "read", parentExpires), (child.ParentId, child.MadeBy, child.Scope, child.ExpiresAt));
    }

    [ApiTheory]
    [InlineData(TokenScope.Read)]
    [InlineData(TokenScope.Jobs)]
    public async Task Create_with_a_token_without_admin_scope_answers_403_and_makes_none(TokenScope scope)
    {
        using var limited = factory.WithToken(factory.AddToken(People.Nobody, scope: scope));
        var before = await StoreSnapshot.TakeAsync(factory);

        using var response = await limited.PostJsonAsync("/api/v1/tokens", new { name = "escalated", scope = "admin" });

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "token-scope");
        Assert.Contains("needs a token with scope admin", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [ApiFact]
    public async Task Revoke_revokes_every_token_made_from_it_and_leaves_its_parent_and_others()
    {
        using var nobody = factory.As(People.Nobody);
        var a = await CreateAsync(nobody, "a", "admin");
        using var asA = factory.WithToken(a.Secret!);
        var b = await CreateAsync(asA, "b", "admin");
        using var asB = factory.WithToken(b.Secret!);
        var c = await CreateAsync(asB, "c", "read");
        var d = await CreateAsync(asA, "d", "jobs");
        var other = await CreateAsync(nobody, "other", "jobs");

        using var response = await nobody.DeleteAsync($"/api/v1/tokens/{b.Id}");

        Assert.Equal([b.Id, c.Id], (await response.ReadAsync<List<TokenView>>()).Select(t => t.Id).Order());
        foreach (var (token, works) in new[] { (b, false), (c, false), (a, true), (d, true), (other, true) })
        {
            using var client = factory.WithToken(token.Secret!);
            using var whoami = await client.GetAsync("/api/v1/whoami");
            Assert.True((whoami.StatusCode == HttpStatusCode.OK) == works, $"token {token.Name}: {whoami.StatusCode}");
        }
    }

    [ApiFact]
    public async Task Revoke_a_token_revokes_its_grandchildren_too()
    {
        using var nobody = factory.As(People.Nobody);
        var a = await CreateAsync(nobody, "root-of-three", "admin");
        using var asA = factory.WithToken(a.Secret!);
        var b = await CreateAsync(asA, "child", "admin");
        using var asB = factory.WithToken(b.Secret!);
        var c = await CreateAsync(asB, "grandchild", "jobs");

        using var response = await asA.DeleteAsync($"/api/v1/tokens/{a.Id}");

        Assert.Equal([a.Id, b.Id, c.Id], (await response.ReadAsync<List<TokenView>>()).Select(t => t.Id).Order());
        using var grandchild = factory.WithToken(c.Secret!);
        using var refused = await grandchild.GetAsync("/api/v1/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [ApiFact]
    public async Task List_shows_each_tokens_scope_expiry_last_use_and_maker()
    {
        using var nobody = factory.As(People.Nobody);
        var made = await CreateAsync(nobody, "shown", "read");
        using (var used = factory.WithToken(made.Secret!))
        {
            await used.GetJsonAsync<WhoAmIView>("/api/v1/whoami");
        }

        var listed = Assert.Single(await nobody.GetJsonAsync<List<TokenView>>("/api/v1/tokens"), t => t.Id == made.Id);

        Assert.Equal(("read", made.ExpiresAt, made.MadeBy), (listed.Scope, listed.ExpiresAt, listed.MadeBy));
        Assert.StartsWith("token ", listed.MadeBy, StringComparison.Ordinal);
        Assert.NotNull(listed.LastUsedAt);
    }

    private static async Task<TokenView> CreateAsync(HttpClient client, string name, string scope)
    {
        using var response = await client.PostJsonAsync("/api/v1/tokens", new { name, scope });
        return await response.ReadAsync<TokenView>(HttpStatusCode.Created);
    }

    [ApiFact]
    public async Task Create_with_bad_values_reports_both_and_makes_no_token()
    {
        using var nobody = factory.As(People.Nobody);
        var before = await StoreSnapshot.TakeAsync(factory);

        using var response = await nobody.PostJsonAsync("/api/v1/tokens", new { name = new string('n', 129), scope = "everything", expiresInDays = 0 });

        var problem = await response.ValidationProblemAsync();
        Assert.Equal(["expiresInDays", "name", "scope"], problem.Fields.Order(StringComparer.Ordinal));
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [ApiFact]
    public async Task Revoke_answers_the_revoked_token_and_the_token_then_answers_401_revoked()
    {
        using var nobody = factory.As(People.Nobody);
        using var created = await nobody.PostJsonAsync("/api/v1/tokens", new { name = "lost-phone" });
        var token = await created.ReadAsync<TokenView>(HttpStatusCode.Created);
        using var phone = factory.WithToken(token.Secret!);

        using var response = await nobody.DeleteAsync($"/api/v1/tokens/{token.Id}");

        Assert.Equal([token.Id], (await response.ReadAsync<List<TokenView>>()).Select(t => t.Id));
        using var refused = await phone.GetAsync("/api/v1/whoami");
        var problem = await refused.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("revoked", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(await nobody.GetJsonAsync<List<TokenView>>("/api/v1/tokens"), t => t.Id == token.Id);
    }

    [ApiFact]
    public async Task A_token_may_revoke_itself()
    {
        using var nobody = factory.As(People.Nobody);
        using var created = await nobody.PostJsonAsync("/api/v1/tokens", new { name = "self" });
        var token = await created.ReadAsync<TokenView>(HttpStatusCode.Created);
        using var self = factory.WithToken(token.Secret!);

        using var response = await self.DeleteAsync($"/api/v1/tokens/{token.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var after = await self.GetAsync("/api/v1/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [ApiFact]
    public async Task Revoke_another_persons_token_answers_404_and_their_token_keeps_working()
    {
        using var nobody = factory.As(People.Nobody);
        using var daemon = factory.As(People.Daemon);
        using var created = await daemon.PostJsonAsync("/api/v1/tokens", new { name = "daemons" });
        var token = await created.ReadAsync<TokenView>(HttpStatusCode.Created);

        using var response = await nobody.DeleteAsync($"/api/v1/tokens/{token.Id}");

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound, "token-not-found");
        Assert.Contains("toolgrid tokens list", problem.Detail, StringComparison.Ordinal);
        using var theirs = factory.WithToken(token.Secret!);
        Assert.Equal(People.Daemon, (await theirs.GetJsonAsync<WhoAmIView>("/api/v1/whoami")).User);
    }

    [ApiFact]
    public async Task Revoke_a_token_twice_answers_404_the_second_time()
    {
        using var nobody = factory.As(People.Nobody);
        using var created = await nobody.PostJsonAsync("/api/v1/tokens", new { name = "twice" });
        var token = await created.ReadAsync<TokenView>(HttpStatusCode.Created);
        using (var first = await nobody.DeleteAsync($"/api/v1/tokens/{token.Id}"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var second = await nobody.DeleteAsync($"/api/v1/tokens/{token.Id}");

        await second.ProblemAsync(HttpStatusCode.NotFound, "token-not-found");
    }

    [ApiFact]
    public async Task An_admin_may_revoke_anyones_token()
    {
        using var daemon = factory.As(People.Daemon);
        using var root = factory.As(People.Root);
        using var created = await daemon.PostJsonAsync("/api/v1/tokens", new { name = "leaked" });
        var token = await created.ReadAsync<TokenView>(HttpStatusCode.Created);

        using var response = await root.DeleteAsync($"/api/v1/tokens/{token.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var leaked = factory.WithToken(token.Secret!);
        using var refused = await leaked.GetAsync("/api/v1/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
