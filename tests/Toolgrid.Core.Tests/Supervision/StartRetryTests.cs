using Toolgrid.Core.Supervision;

namespace Toolgrid.Core.Tests.Supervision;

public sealed class StartRetryTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(5, 32)]
    [InlineData(6, 60)]
    [InlineData(1000, 60)]
    public void Delay_DoublesFromTwoSecondsUpToAMinute(int tries, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), StartRetry.Delay(tries));

    [Fact]
    public void Message_SaysWhyAndWhenInUtc() =>
        Assert.Equal(
            "the disk of node n1 is full; trying again at 12:00:02 UTC",
            StartRetry.Message("the disk of node n1 is full", new DateTimeOffset(2026, 11, 27, 13, 0, 2, TimeSpan.FromHours(1))));
}
