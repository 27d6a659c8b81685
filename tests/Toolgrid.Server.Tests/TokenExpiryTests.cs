using System.Net;
using Toolgrid.Contracts.Api;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>A token made to expire stops working when its time is up, on the server's clock.</summary>
public sealed class TokenExpiryTests(FakeClockApiFactory factory) : IClassFixture<FakeClockApiFactory>
{
    [ApiFact]
    public async Task A_token_made_for_one_day_works_within_the_day_and_not_after()
    {
        using var nobody = factory.As(People.Nobody);
        using var created = await nobody.PostJsonAsync("/api/v1/tokens", new { name = "day-pass", expiresInDays = 1 });
        var token = await created.ReadAsync<TokenView>(HttpStatusCode.Created);
        using var dayPass = factory.WithToken(token.Secret!);

        factory.Clock.Advance(TimeSpan.FromHours(23));
        var me = await dayPass.GetJsonAsync<WhoAmIView>("/api/v1/whoami");
        factory.Clock.Advance(TimeSpan.FromHours(2));
        using var refused = await dayPass.GetAsync("/api/v1/whoami");

        Assert.Equal(People.Nobody, me.User);
        var problem = await refused.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("expired", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(await nobody.GetJsonAsync<List<TokenView>>("/api/v1/tokens"), t => t.Id == token.Id);
    }

    [ApiFact]
    public async Task A_tokens_last_use_is_recorded_on_the_servers_clock()
    {
        using var daemon = factory.As(People.Daemon);
        using var created = await daemon.PostJsonAsync("/api/v1/tokens", new { name = "used" });
        var token = await created.ReadAsync<TokenView>(HttpStatusCode.Created);
        using var used = factory.WithToken(token.Secret!);
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var useTime = factory.Clock.GetUtcNow();

        await used.GetJsonAsync<WhoAmIView>("/api/v1/whoami");
        var listed = Assert.Single(await daemon.GetJsonAsync<List<TokenView>>("/api/v1/tokens"), t => t.Id == token.Id);

        Assert.NotNull(listed.LastUsedAt);
        Assert.InRange(listed.LastUsedAt.Value, useTime.AddSeconds(-1), useTime.AddSeconds(1));
    }
}
