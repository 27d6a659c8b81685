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
    public void ToRequest_AScopeThatIsNone_IsAProblem()
    {
        var (parse, command) = TestCommandLine.Parse<TokenCreateCommand>("tokens", "create", "--scope", "root");
        var problems = new Problems();

        command.ToRequest(parse, problems);

        Assert.Equal("--scope: 'root' is not a scope; use read, jobs or admin.", Assert.Single(problems).Message);
    }

    [Fact]
    public void ToRequest_Nothing_LeavesScopeAndExpiryToTheSite()
    {
        var (parse, command) = TestCommandLine.Parse<TokenCreateCommand>("tokens", "create");

        Assert.Equal(new TokenCreateRequest(), command.ToRequest(parse, new Problems()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("100000")]
    public void ToRequest_ExpiryOutOfRange_IsAProblem(string days)
    {
        var (parse, command) = TestCommandLine.Parse<TokenCreateCommand>("tokens", "create", "--expires-in", days);
        var problems = new Problems();

        command.ToRequest(parse, problems);

        Assert.Equal("expiresInDays", Assert.Single(problems).Field);
    }
}
