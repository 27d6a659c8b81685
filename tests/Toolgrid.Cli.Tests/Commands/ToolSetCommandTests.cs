using Toolgrid.Cli.Commands.Tools;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Tests.Commands;

public sealed class ToolSetCommandTests
{
    [Fact]
    public void ToRequest_EmailAndDescription_AreSent()
    {
        var (parse, command) = TestCommandLine.Parse<ToolSetCommand>("tools", "set", "mytool", "--email", "mytool@example.org", "--description", "Fetches");
        var problems = new Problems();

        var (name, update) = command.ToRequest(parse, problems);

        Assert.Empty(problems);
        Assert.Equal("mytool", name);
        Assert.Equal(new ToolUpdate { Email = "mytool@example.org", Description = "Fetches" }, update);
    }

    [Fact]
    public void ToRequest_None_RemovesTheAddress()
    {
        var (parse, command) = TestCommandLine.Parse<ToolSetCommand>("tools", "set", "mytool", "--email", "none");
        var problems = new Problems();

        var (_, update) = command.ToRequest(parse, problems);

        Assert.Empty(problems);
        Assert.Equal("none", update.Email);
    }

    [Theory]
    [InlineData("mytool")]
    public void ToRequest_NothingToChange_IsAProblemWithTheEmail(params string[] arguments)
    {
        var (parse, command) = TestCommandLine.Parse<ToolSetCommand>(["tools", "set", .. arguments]);
        var problems = new Problems();

        command.ToRequest(parse, problems);

        Assert.Equal("--email", Assert.Single(problems).Field);
    }
}
