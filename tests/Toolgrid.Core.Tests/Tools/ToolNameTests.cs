using Toolgrid.Contracts.Tools;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Core.Tests.Tools;

public sealed class ToolNameTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("mytool")]
    [InlineData("my-tool")]
    [InlineData("tool2")]
    [InlineData("a-b-c-1-2-3")]
    [InlineData("a--b")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")] // 32 characters, the longest
    public void Validate_GoodName_ReportsNothing(string name)
    {
        var problems = new Problems();

        ToolName.Validate(name, unixUserPrefix: null, problems);

        Assert.Empty(problems);
        Assert.True(ToolName.IsValid(name));
    }

    [Theory]
    [InlineData("MyTool")]
    [InlineData("mytooL")]
    [InlineData("1tool")]
    [InlineData("-tool")]
    [InlineData("tool-")]
    [InlineData("-")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")] // 33 characters
    [InlineData("tööl")]
    [InlineData("tοol")] // a Greek omicron that looks like an 'o'
    [InlineData("my tool")]
    [InlineData(" mytool")]
    [InlineData("mytool ")]
    [InlineData("..")]
    [InlineData("my..tool")]
    [InlineData("my.tool")]
    [InlineData("my_tool")]
    [InlineData("my/tool")]
    [InlineData("my\0tool")]
    [InlineData("mytool\0")]
    [InlineData("mytool\n")]
    [InlineData("mytool\r\n")]
    public void Validate_BadName_ReportsOneProblemThatSaysWhatIsAllowed(string name)
    {
        var problems = new Problems();

        ToolName.Validate(name, unixUserPrefix: null, problems);

        var problem = Assert.Single(problems);
        Assert.Equal("name", problem.Field);
        Assert.Contains("is not a valid tool name", problem.Message, StringComparison.Ordinal);
        Assert.Contains("lower-case letters, digits and '-'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("starting with a letter", problem.Message, StringComparison.Ordinal);
        Assert.False(ToolName.IsValid(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_Missing_SaysANameIsRequired(string? name)
    {
        var problems = new Problems();

        ToolName.Validate(name, "tools.", problems, "tool");

        var problem = Assert.Single(problems);
        Assert.Equal("tool", problem.Field);
        Assert.StartsWith("a tool name is required", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LongBadName_IsShortenedInTheMessage()
    {
        var problems = new Problems();

        ToolName.Validate(new string('X', 1000), null, problems);

        var message = Assert.Single(problems).Message;
        Assert.Contains(new string('X', 61) + "...'", message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('X', 62), message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(26)]
    [InlineData(1)]
    public void Validate_WithPrefix_AcceptsUpToThirtyTwoMinusThePrefix(int length)
    {
        var problems = new Problems();

        ToolName.Validate(new string('a', length), "tools.", problems);

        Assert.Empty(problems);
    }

    [Fact]
    public void Validate_WithPrefix_RefusesANameTheUnixUserCannotHoldAndSaysTheLimit()
    {
        var problems = new Problems();
        var name = new string('a', 27);

        ToolName.Validate(name, "tools.", problems);

        var problem = Assert.Single(problems);
        Assert.Equal("name", problem.Field);
        Assert.Contains("27 characters", problem.Message, StringComparison.Ordinal);
        Assert.Contains("'tools.'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("at most 26 characters", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WithoutPrefix_AcceptsThirtyTwoCharacters()
    {
        var problems = new Problems();

        ToolName.Validate(new string('a', 32), unixUserPrefix: null, problems);

        Assert.Empty(problems);
    }

    [Fact]
    public void Validate_WithEmptyPrefix_AcceptsThirtyTwoCharacters()
    {
        var problems = new Problems();

        ToolName.Validate(new string('a', 32), "", problems);

        Assert.Empty(problems);
    }

    [Fact]
    public void Validate_AddsToProblemsAlreadyFound()
    {
        var problems = new Problems();
        problems.Add("description", "too long");

        ToolName.Validate("Bad", null, problems);

        Assert.Equal(["description", "name"], problems.Select(p => p.Field));
    }
}
