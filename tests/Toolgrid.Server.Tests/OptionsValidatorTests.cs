using Toolgrid.Server.Identity;
using Toolgrid.Server.Tools;

namespace Toolgrid.Server.Tests;

/// <summary>The settings of tokens (<c>Toolgrid:Tokens</c>) and tools (<c>Toolgrid:Tools</c>), checked at start with every problem named.</summary>
public sealed class OptionsValidatorTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(new TokenOptionsValidator().Validate(null, new TokenOptions()).Succeeded);
        Assert.True(new ToolOptionsValidator().Validate(null, new ToolOptions()).Succeeded);
    }

    [Fact]
    public void Tokens_EveryProblemIsNamed()
    {
        var result = new TokenOptionsValidator().Validate(null, new TokenOptions { DefaultLifetimeDays = 0, MaxLifetimeDays = 4000 });

        Assert.Equal(
            ["Toolgrid:Tokens:MaxLifetimeDays must be 1 to 3650 days; it is 4000.", "Toolgrid:Tokens:DefaultLifetimeDays must be at least 1 day; it is 0."],
            result.Failures);
    }

    [Fact]
    public void Tokens_TheDefaultMayNotOutliveTheMaximum() =>
        Assert.Equal(
            ["Toolgrid:Tokens:DefaultLifetimeDays (90) must not be above MaxLifetimeDays (30)."],
            new TokenOptionsValidator().Validate(null, new TokenOptions { MaxLifetimeDays = 30 }).Failures);

    [Fact]
    public void Tools_EveryProblemIsNamed()
    {
        var result = new ToolOptionsValidator().Validate(null, new ToolOptions { ReservedNames = ["www", "Not A Name"], MaxToolsPerPerson = 0 });

        Assert.Equal(2, result.Failures!.Count());
        Assert.StartsWith("Toolgrid:Tools:ReservedNames:1 is 'Not A Name', which is no tool name", result.Failures!.First(), StringComparison.Ordinal);
        Assert.StartsWith("Toolgrid:Tools:MaxToolsPerPerson must be 1 to 100000; it is 0.", result.Failures!.Last(), StringComparison.Ordinal);
    }
}
