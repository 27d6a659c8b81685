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

    [Fact]
    public void ToRequest_TheNameAndAddressAsTyped_AreTheApisToCheck()
    {
        var (parse, command) = TestCommandLine.Parse<ToolCreateCommand>("tools", "create", "MyTool", "--email", "nope");
        var problems = new Problems();

        var request = command.ToRequest(parse, problems);

        Assert.Empty(problems);
        Assert.Equal(("MyTool", "nope"), (request.Name, request.Email));
    }
}
