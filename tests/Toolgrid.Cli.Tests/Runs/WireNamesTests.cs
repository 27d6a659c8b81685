using Toolgrid.Cli.Runs;
using Toolgrid.Core.Api;
using Toolgrid.Core.Runs;

namespace Toolgrid.Cli.Tests.Runs;

public sealed class WireNamesTests
{
    [Fact]
    public void EveryState_ReadsBackFromItsWireSpelling()
    {
        foreach (var state in Enum.GetValues<RunState>())
        {
            Assert.True(WireNames.TryParseState(Wire.Of(state), out var read));
            Assert.Equal(state, read);
        }
    }

    [Fact]
    public void EveryReason_ReadsBackFromItsWireSpelling()
    {
        foreach (var reason in Enum.GetValues<RunReason>())
        {
            Assert.True(WireNames.TryParseReason(Wire.Of(reason), out var read));
            Assert.Equal(reason, read);
        }
    }

    [Theory]
    [InlineData("Failed")]
    [InlineData("outofmemory")]
    [InlineData("")]
    [InlineData(null)]
    public void UnknownSpellings_AreNotRead(string? text)
    {
        Assert.False(WireNames.TryParseState(text, out _));
        Assert.False(WireNames.TryParseReason(text, out _));
    }
}
