using Toolgrid.Contracts.Validation;

namespace Toolgrid.Core.Tests.Validation;

public sealed class NearestNamesTests
{
    [Fact]
    public void Of_ATypo_SuggestsTheNearestFirst_AndNamesItBegins()
    {
        var nearest = NearestNames.Of("botx", ["bot", "bots", "botxtra", "other"]);

        Assert.Equal(["bot", "bots", "botxtra"], nearest);
    }

    [Fact]
    public void Of_ANameFarFromAll_SuggestsNone()
    {
        Assert.Empty(NearestNames.Of("zzzzzz", ["bot", "web"]));
    }

    [Fact]
    public void Of_AnOverlongName_IsNotCompared()
    {
        Assert.Empty(NearestNames.Of(new string('a', NearestNames.MaxLength + 1), [new string('a', NearestNames.MaxLength)]));
    }

    [Theory]
    [InlineData("comand", "command")]
    [InlineData("schedul", "schedule")]
    [InlineData("xyz", null)]
    public void Closest_IsAtMostTwoLettersOff_AndAThirdOfTheName(string typed, string? expected)
    {
        Assert.Equal(expected, NearestNames.Closest(typed, ["command", "schedule", "mem"]));
    }
}
