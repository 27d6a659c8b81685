using Toolgrid.Cli.Commands.Tokens;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Core.Api;
using Toolgrid.Core.Validation;

namespace Toolgrid.Cli.Tests.Commands;

public sealed class TokenCreateCommandTests
{
    [Fact]
    public void ToRequest_NameAndExpiry_AreSent()
    {
        var (parse, command) = TestCommandLine.Parse<TokenCreateCommand>("tokens", "create", "--name", "laptop", "--expires-in-days", "30");
        var problems = new Problems();

        Assert.Equal(new TokenCreateRequest { Name = "laptop", ExpiresInDays = 30 }, command.ToRequest(parse, problems));
        Assert.Empty(problems);
    }

    [Fact]
    public void ToRequest_Nothing_AsksForATokenThatDoesNotExpire()
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
        var (parse, command) = TestCommandLine.Parse<TokenCreateCommand>("tokens", "create", "--expires-in-days", days);
        var problems = new Problems();

        command.ToRequest(parse, problems);

        Assert.Equal("expiresInDays", Assert.Single(problems).Field);
    }
}
