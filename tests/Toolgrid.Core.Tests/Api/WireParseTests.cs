using Toolgrid.Contracts.Runs;

namespace Toolgrid.Core.Tests.Api;

public sealed class WireParseTests
{
    [Fact]
    public void EveryState_ReadsBackFromItsWireSpelling()
    {
        foreach (var state in Enum.GetValues<RunState>())
        {
            Assert.True(RunWire.TryParse(RunWire.Of(state), out RunState read));
            Assert.Equal(state, read);
        }
    }

    [Fact]
    public void EveryReason_ReadsBackFromItsWireSpelling()
    {
        foreach (var reason in Enum.GetValues<RunReason>())
        {
            Assert.True(RunWire.TryParse(RunWire.Of(reason), out RunReason read));
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
        Assert.False(RunWire.TryParse(text, out RunState _));
        Assert.False(RunWire.TryParse(text, out RunReason _));
    }
}
