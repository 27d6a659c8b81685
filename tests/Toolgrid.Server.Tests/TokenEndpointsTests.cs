using System.Net;
using Toolgrid.Core.Api;
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
        Assert.Equal(("laptop", People.Nobody), (token.Name, token.User));
        Assert.Null(token.ExpiresAt);
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
        Assert.Equal(token.CreatedAt.AddDays(7), token.ExpiresAt);
    }

    [ApiFact]
    public async Task Create_with_bad_values_reports_both_and_makes_no_token()
    {
        using var nobody = factory.As(People.Nobody);
        var before = await StoreSnapshot.TakeAsync(factory);

        using var response = await nobody.PostJsonAsync("/api/v1/tokens", new { name = new string('n', 129), expiresInDays = 0 });

        var problem = await response.ValidationProblemAsync();
        Assert.Equal(["expiresInDays", "name"], problem.Fields.Order(StringComparer.Ordinal));
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [ApiFact]
    public async Task Revoke_answers_204_and_the_token_then_answers_401_revoked()
    {
        using var nobody = factory.As(People.Nobody);
        using var created = await nobody.PostJsonAsync("/api/v1/tokens", new { name = "lost-phone" });
        var token = await created.ReadAsync<TokenView>(HttpStatusCode.Created);
        using var phone = factory.WithToken(token.Secret!);

        using var response = await nobody.DeleteAsync($"/api/v1/tokens/{token.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
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

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
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
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
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

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var leaked = factory.WithToken(token.Secret!);
        using var refused = await leaked.GetAsync("/api/v1/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
