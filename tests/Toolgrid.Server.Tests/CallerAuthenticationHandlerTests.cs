using System.Net;
using Toolgrid.Contracts.Api;
using Toolgrid.Server.Identity;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>Who the API says a caller is over TCP, where only a bearer token can tell.</summary>
public sealed class CallerAuthenticationHandlerTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    public static readonly TheoryData<string> MalformedHeaders = new()
    {
        "Basic cm9vdDpzZWNyZXQ=",
        "Bearer",
        "Bearer not-a-token",
        "Token tg_abcdefghijklmnopqrstuvwxyz",
        "tg_abcdefghijklmnopqrstuvwxyz",
    };

    public static readonly TheoryData<string> Endpoints = new()
    {
        "/api/v1/whoami",
        "/api/v1/status",
        "/api/v1/tools",
        "/api/v1/tools/sometool",
        "/api/v1/tools/sometool/jobs",
        "/api/v1/tools/sometool/jobs/somejob/logs",
        "/api/v1/tokens",
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task An_endpoint_called_without_a_token_answers_401_and_says_how_to_get_one(string path)
    {
        using var client = factory.Anonymous();

        using var response = await client.GetAsync(path);

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("Authorization: Bearer", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("toolgrid tokens create", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(path, problem.Instance);
    }

    [Fact]
    public async Task A_request_refused_for_want_of_a_token_creates_nothing()
    {
        using var client = factory.Anonymous();
        var before = await StoreSnapshot.TakeAsync(factory);

        using var response = await client.PostJsonAsync("/api/v1/tools", new { name = "anonymous-tool" });

        await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
        Assert.False(Directory.Exists(factory.HomeOf("anonymous-tool")));
    }

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public async Task A_malformed_Authorization_header_answers_401_showing_the_expected_form(string header)
    {
        using var client = factory.Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);

        using var response = await client.GetAsync("/api/v1/whoami");

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("Bearer tg_", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_token_answers_401_saying_it_is_not_known()
    {
        using var client = factory.WithToken(TokenSecrets.NewSecret());

        using var response = await client.GetAsync("/api/v1/whoami");

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("not known", problem.Detail, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task A_revoked_token_answers_401_saying_it_was_revoked()
    {
        var secret = factory.AddToken(People.Nobody, revokedAt: TimeProvider.System.GetUtcNow().AddMinutes(-1));
        using var client = factory.WithToken(secret);

        using var response = await client.GetAsync("/api/v1/whoami");

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("revoked", problem.Detail, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task An_expired_token_answers_401_saying_it_has_expired()
    {
        var secret = factory.AddToken(People.Nobody, expiresAt: TimeProvider.System.GetUtcNow().AddMinutes(-1));
        using var client = factory.WithToken(secret);

        using var response = await client.GetAsync("/api/v1/whoami");

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("expired", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_whose_user_is_gone_from_the_host_answers_401_naming_the_user()
    {
        var secret = factory.AddToken("gone-person");
        using var client = factory.WithToken(secret);

        using var response = await client.GetAsync("/api/v1/whoami");

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("gone-person", problem.Detail, StringComparison.Ordinal);
    }

    /// <summary>
    /// docs/api.md: 401 is "no peer credentials and no valid token"; whatever was wrong with the
    /// token, the caller needs to learn how to get a good one.
    /// </summary>
    [ApiTheory]
    // Known defect: CallerAuthenticationHandler/CallerResolver: 401 details for a bad token do not say how to get one.
    [InlineData("malformed")]
    [InlineData("unknown")]
    [InlineData("revoked")]
    [InlineData("expired")]
    public async Task Every_refused_token_answers_401_saying_how_to_get_a_token(string what)
    {
        var now = TimeProvider.System.GetUtcNow();
        var secret = what switch
        {
            "malformed" => "not-a-token",
            "unknown" => TokenSecrets.NewSecret(),
            "revoked" => factory.AddToken(People.Nobody, revokedAt: now.AddMinutes(-1)),
            _ => factory.AddToken(People.Nobody, expiresAt: now.AddMinutes(-1)),
        };
        using var client = factory.Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + secret);

        using var response = await client.GetAsync("/api/v1/whoami");

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("toolgrid tokens create", problem.Detail, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task A_valid_token_identifies_its_user()
    {
        using var client = factory.WithToken(factory.AddToken(People.Daemon));

        var me = await client.GetJsonAsync<WhoAmIView>("/api/v1/whoami");

        Assert.Equal(People.Daemon, me.User);
        Assert.Equal("token", me.Via);
    }

    [Fact]
    public async Task Health_check_and_OpenAPI_document_need_no_token()
    {
        using var client = factory.Anonymous();

        using var health = await client.GetAsync("/healthz");
        using var openApi = await client.GetAsync("/api/v1/openapi.json");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
    }
}
