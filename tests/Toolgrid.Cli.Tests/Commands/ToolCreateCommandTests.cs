using Toolgrid.Cli.Commands.Tools;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Tests.Commands;

public sealed class ToolCreateCommandTests
{
    [Fact]
    public void ToRequest_NameAndDescription_AreSent()
    {
        var (parse, command) = TestCommandLine.Parse<ToolCreateCommand>("tools", "create", "mytool", "--description", "Fetches things");
        var problems = new Problems();

        var request = command.ToRequest(parse, problems);

        Assert.Empty(problems);
        Assert.Equal(new ToolCreateRequest { Name = "mytool", Description = "Fetches things" }, request);
    }

    [Theory]
    [InlineData("MyTool")]
    [InlineData("1tool")]
    [InlineData("tool-")]
    [InlineData("a-tool-name-that-is-longer-than-32")]
    public void ToRequest_BadName_IsAProblemWithTheName(string name)
    {
        var (parse, command) = TestCommandLine.Parse<ToolCreateCommand>("tools", "create", name);
        var problems = new Problems();

        command.ToRequest(parse, problems);

        Assert.Equal("name", Assert.Single(problems).Field);
    }
}
