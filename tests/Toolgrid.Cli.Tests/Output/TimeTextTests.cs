using Microsoft.Extensions.Time.Testing;
using Toolgrid.Cli.Output;
using Toolgrid.Cli.Tests.Support;

namespace Toolgrid.Cli.Tests.Output;

public sealed class TimeTextTests
{
    private static readonly DateTimeOffset Now = CliHarness.Start;

    [Theory]
    [InlineData(0, "just now")]
    [InlineData(-12, "12 s ago")]
    [InlineData(-150, "2 min ago")]
    [InlineData(-3900, "1 h 5 min ago")]
    [InlineData(-7200, "2 h ago")]
    [InlineData(-5 * 86400, "5 days ago")]
    [InlineData(90, "in 1 min")]
    public void Relative_ReadsLikeSpeech(int seconds, string expected) =>
        Assert.Equal(expected, RenderedText.Times().Relative(Now.AddSeconds(seconds)));

    [Fact]
    public void Local_IsInTheLocalTimeZone()
    {
        var time = new FakeTimeProvider(Now);
        time.SetLocalTimeZone(TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2"));
        var times = new TimeText(time);

        Assert.Equal("2025-06-01 14:00:00", times.Local(Now));
        Assert.Equal("14:00:00", times.Short(Now));
        Assert.Equal("2025-05-30 14:00", times.Short(Now.AddDays(-2)));
    }
}
