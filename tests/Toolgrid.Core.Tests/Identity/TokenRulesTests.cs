using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;

namespace Toolgrid.Core.Tests.Identity;

public sealed class TokenRulesTests
{
    private static readonly TokenLifetimes Site = new(90, 365);

    private static Caller OnSocket => Sample.Person("alice");

    private static Caller With(ApiToken token) => OnSocket with { Via = CallerVia.Token, Scope = token.Scope, TokenId = token.Id };

    private static ApiToken Parent(TokenScope scope = TokenScope.Admin, int expiresInDays = 30) => new()
    {
        Id = 12,
        UserName = "alice",
        SecretHash = new string('0', 64),
        Scope = scope,
        MadeBy = "socket uid 1000 as alice",
        CreatedAt = Sample.Now.AddDays(-1),
        ExpiresAt = Sample.Now.AddDays(expiresInDays),
    };

    private static (TokenPlan? Plan, Problems Problems) Plan(TokenCreateRequest request, Caller caller, ApiToken? parent = null, int? uid = 1000)
    {
        var problems = new Problems();
        return (TokenRules.Plan(request, caller, parent, uid, Site, Sample.Now, problems), problems);
    }

    [Fact]
    public void Plan_OnTheSocket_ByDefault_IsScopeJobsForTheSitesDefaultLifetime_MadeByTheUid()
    {
        var (plan, problems) = Plan(new TokenCreateRequest { Name = " laptop " }, OnSocket);

        Assert.Empty(problems);
        Assert.Equal(new TokenPlan("laptop", TokenScope.Jobs, Sample.Now.AddDays(90), null, "socket uid 1000 as alice"), plan);
    }

    [Theory]
    [InlineData("read", TokenScope.Read)]
    [InlineData("jobs", TokenScope.Jobs)]
    [InlineData("Admin", TokenScope.Admin)]
    public void Plan_TakesTheScopeAskedFor(string asked, TokenScope scope) =>
        Assert.Equal(scope, Plan(new TokenCreateRequest { Scope = asked }, OnSocket).Plan!.Scope);

    [Fact]
    public void Plan_BadScopeNameAndLifetime_AreEachAProblem()
    {
        var (plan, problems) = Plan(new TokenCreateRequest { Name = new string('n', 129), Scope = "root", ExpiresInDays = 366 }, OnSocket);

        Assert.Null(plan);
        Assert.Equal(["name", "scope", "expiresInDays"], problems.Select(p => p.Field));
        Assert.Equal("'root' is not a token scope: use read, jobs or admin.", problems[1].Message);
        Assert.Equal("a token expires after 1 to 365 days on this site; got 366.", problems[2].Message);
    }

    [Fact]
    public void Plan_WithAnAdminToken_MakesItsChild_NoLongerLivedThanIt()
    {
        var parent = Parent(expiresInDays: 30);

        var (plan, _) = Plan(new TokenCreateRequest { Scope = "read", ExpiresInDays = 60 }, With(parent), parent);

        Assert.Equal(new TokenPlan("", TokenScope.Read, parent.ExpiresAt!.Value, 12, "token 12"), plan);
    }

    [Fact]
    public void Plan_WithAnAdminToken_ThatOutlivesTheChild_KeepsTheChildsLifetime() =>
        Assert.Equal(Sample.Now.AddDays(7), Plan(new TokenCreateRequest { ExpiresInDays = 7 }, With(Parent(expiresInDays: 300)), Parent(expiresInDays: 300)).Plan!.ExpiresAt);

    [Theory]
    [InlineData(TokenScope.Read)]
    [InlineData(TokenScope.Jobs)]
    public void Plan_WithATokenWithoutAdminScope_IsForbidden(TokenScope scope)
    {
        var parent = Parent(scope);

        var refused = Assert.Throws<ToolgridException>(() => Plan(new TokenCreateRequest { Scope = "read" }, With(parent), parent));

        Assert.Equal("token-scope", refused.ErrorCode);
        Assert.StartsWith("Making a token with a token needs a token with scope admin; token 12 has scope " + TokenWire.Of(scope), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ForATokenOfScopeAdmin_ByTheToolItself_IsAProblem_AndLesserScopesAreNot()
    {
        var tool = Sample.ToolItself("mytool");

        var (plan, problems) = Plan(new TokenCreateRequest { Scope = "admin" }, tool);

        Assert.Null(plan);
        var problem = Assert.Single(problems);
        Assert.Equal("scope", problem.Field);
        Assert.Equal(
            "tool 'mytool' acting as itself may make tokens of scope read or jobs, not admin: admin covers tools, maintainers and tokens, which only people change. Make an admin token as yourself.",
            problem.Message);
        Assert.Equal(TokenScope.Jobs, Plan(new TokenCreateRequest { Scope = "jobs" }, tool).Plan!.Scope);
        Assert.Equal(TokenScope.Jobs, Plan(new TokenCreateRequest(), tool).Plan!.Scope);
    }

    [Fact]
    public void Plan_WithARevokedToken_IsUnauthenticated()
    {
        var parent = Parent();
        parent.RevokedAt = Sample.Now.AddMinutes(-1);

        var refused = Assert.Throws<ToolgridException>(() => Plan(new TokenCreateRequest(), With(parent), parent));

        Assert.Equal(ErrorKind.Unauthenticated, refused.Kind);
    }

    [Fact]
    public void MadeBy_OnTheSocketWithoutAUid_NamesTheUser() =>
        Assert.Equal("socket as alice", TokenRules.MadeBy(OnSocket, null, null));

    [Fact]
    public void Family_IsTheTokenAndEveryTokenMadeFromIt_Recursively()
    {
        ApiToken Token(long id, long? parent) => new() { Id = id, ParentId = parent, UserName = "alice", SecretHash = id.ToString(System.Globalization.CultureInfo.InvariantCulture), MadeBy = "x" };
        var tokens = new[] { Token(1, null), Token(2, 1), Token(3, 2), Token(4, 1), Token(5, null), Token(6, 5), Token(7, 3) };

        Assert.Equal([2L, 3, 7], TokenRules.Family(tokens, 2).Select(t => t.Id).Order());
        Assert.Equal([1L, 2, 3, 4, 7], TokenRules.Family(tokens, 1).Select(t => t.Id).Order());
        Assert.Equal([6L], TokenRules.Family(tokens, 6).Select(t => t.Id));
        Assert.Empty(TokenRules.Family(tokens, 99));
    }
}
