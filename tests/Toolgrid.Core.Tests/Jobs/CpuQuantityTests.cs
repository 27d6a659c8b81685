using Toolgrid.Contracts.Jobs;

namespace Toolgrid.Core.Tests.Jobs;

public sealed class CpuQuantityTests
{
    [Theory]
    [InlineData("0.5", 500)]
    [InlineData("1", 1000)]
    [InlineData("2", 2000)]
    [InlineData("250m", 250)]
    [InlineData("1000m", 1000)]
    [InlineData(".25", 250)]
    [InlineData("0.001", 1)]
    [InlineData("1.5", 1500)]
    [InlineData(" 0.5 ", 500)]
    [InlineData("0", 0)]
    [InlineData("0m", 0)]
    public void TryParse_Quantity_GivesMillicores(string text, int expected)
    {
        Assert.True(CpuQuantity.TryParse(text, out var millis, out var error), error);

        Assert.Equal(expected, millis);
    }

    [Fact]
    public void TryParse_FinerThanAMillicore_SaysSo()
    {
        Assert.False(CpuQuantity.TryParse("0.0001", out var millis, out var error));

        Assert.Equal(0, millis);
        Assert.Equal("'0.0001' is finer than a thousandth of a CPU.", error);
    }

    [Theory]
    [InlineData("1.5m")]
    [InlineData("-1m")]
    [InlineData("m")]
    [InlineData("99999999999m")]
    public void TryParse_MillicoresNotAWholeNumber_SaysHowToWriteThem(string text)
    {
        Assert.False(CpuQuantity.TryParse(text, out _, out var error));

        Assert.Contains("write millicores as a whole number, such as 250m", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1e3")]
    [InlineData("0,5")]
    [InlineData("250M")]
    [InlineData("1 core")]
    [InlineData("100000")]
    public void TryParse_NotAQuantity_SaysHowToWriteOne(string text)
    {
        Assert.False(CpuQuantity.TryParse(text, out var millis, out var error));

        Assert.Equal(0, millis);
        Assert.Contains($"'{text}' is not a CPU quantity", error, StringComparison.Ordinal);
        Assert.Contains("0.5", error, StringComparison.Ordinal);
        Assert.Contains("250m", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void TryParse_Empty_SaysAQuantityIsRequired(string? text)
    {
        Assert.False(CpuQuantity.TryParse(text, out _, out var error));

        Assert.Equal("a CPU quantity is required, such as 0.5 or 250m.", error);
    }

    [Theory]
    [InlineData(500, "0.5")]
    [InlineData(1000, "1")]
    [InlineData(2000, "2")]
    [InlineData(250, "0.25")]
    [InlineData(1, "0.001")]
    [InlineData(1500, "1.5")]
    [InlineData(0, "0")]
    public void Format_WritesCores(int millis, string expected) => Assert.Equal(expected, CpuQuantity.Format(millis));

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(250)]
    [InlineData(999)]
    [InlineData(1001)]
    [InlineData(64000)]
    public void Format_ParsesBackToTheSameMillicores(int millis)
    {
        Assert.True(CpuQuantity.TryParse(CpuQuantity.Format(millis), out var again, out var error), error);

        Assert.Equal(millis, again);
    }
}
