using Toolgrid.Cli.Commands.Tokens;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Tests.Commands;

public sealed class TokenCreateCommandTests
{
    [Theory]
    [InlineData("--expires-in")]
    [InlineData("--expires-in-days")]
    public void ToRequest_NameScopeAndExpiry_AreSent(string expiry)
    {
        var (parse, command) = TestCommandLine.Parse<TokenCreateCommand>("tokens", "create", "--name", "laptop", "--scope", "admin", expiry, "30");
        var problems = new Problems();

        Assert.Equal(new TokenCreateRequest { Name = "laptop", Scope = "admin", ExpiresInDays = 30 }, command.ToRequest(parse, problems));
        Assert.Empty(problems);
    }

    [Fact]
    public void ToRequest_Nothing_LeavesScopeAndExpiryToTheSite()
    {
        var (parse, command) = TestCommandLine.Parse<TokenCreateCommand>("tokens", "create");

        Assert.Equal(new TokenCreateRequest(), command.ToRequest(parse, new Problems()));
    }

    [Theory]
    [InlineData("root", "0")]
    [InlineData("admin", "100000")]
    public void ToRequest_ScopeAndExpiry_AreSentAsTyped_ForTheApiToCheckAgainstTheSitesMaximum(string scope, string days)
    {
        var (parse, command) = TestCommandLine.Parse<TokenCreateCommand>("tokens", "create", "--scope", scope, "--expires-in", days);
        var problems = new Problems();

        var request = command.ToRequest(parse, problems);

        Assert.Empty(problems);
        Assert.Equal((scope, int.Parse(days, System.Globalization.CultureInfo.InvariantCulture)), (request.Scope, request.ExpiresInDays));
    }
}
