using Toolgrid.Cli.Tests.Support;

namespace Toolgrid.Cli.Tests.Commands;

public sealed class ToolChoiceTests
{
    [Fact]
    public void From_ATool_IsThatTool() =>
        Assert.Equal("mytool", ToolChoice.From(Sample.WhoAmI(tool: "mytool")));

    [Fact]
    public void From_APersonWithTools_AsksWhichAndNamesThem()
    {
        var e = Assert.Throws<CommandFailedException>(() => ToolChoice.From(Sample.WhoAmI(null, "a", "b")));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Equal("which tool? you maintain: a, b — pass --tool NAME (or set TOOLGRID_TOOL).", e.Message);
    }

    [Fact]
    public void From_APersonWithoutTools_SaysHowToMakeOne()
    {
        var e = Assert.Throws<CommandFailedException>(() => ToolChoice.From(Sample.WhoAmI()));

        Assert.Contains("toolgrid tools create NAME", e.Message, StringComparison.Ordinal);
    }
}
