using Toolgrid.Contracts.Jobs;

namespace Toolgrid.Core.Tests.Jobs;

public sealed class MemorySizeTests
{
    [Theory]
    [InlineData("512Mi", 512L * 1024 * 1024)]
    [InlineData("1Gi", 1024L * 1024 * 1024)]
    [InlineData("1.5Gi", 1536L * 1024 * 1024)]
    [InlineData("512m", 512L * 1024 * 1024)] // the grid era's jsub -mem 512m means MiB, not millibytes
    [InlineData("512M", 512L * 1024 * 1024)]
    [InlineData("512MB", 512L * 1024 * 1024)]
    [InlineData("2G", 2L * 1024 * 1024 * 1024)]
    [InlineData("2g", 2L * 1024 * 1024 * 1024)]
    [InlineData("64Ki", 64L * 1024)]
    [InlineData("64k", 64L * 1024)]
    [InlineData("1Ti", 1024L * 1024 * 1024 * 1024)]
    [InlineData("1T", 1024L * 1024 * 1024 * 1024)]
    [InlineData("100", 100L)]
    [InlineData("0", 0L)]
    [InlineData(" 1Gi ", 1024L * 1024 * 1024)]
    [InlineData("0.5Ki", 512L)]
    [InlineData("1.0000001Ki", 1024L)] // fractions of a byte are dropped
    public void TryParse_Size_GivesBytes(string text, long expected)
    {
        Assert.True(MemorySize.TryParse(text, out var bytes, out var error), error);

        Assert.Equal(expected, bytes);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("512Xi", "unknown unit 'Xi'")]
    [InlineData("512Mib", "unknown unit 'Mib'")]
    [InlineData("512mi", "unknown unit 'mi'")]
    [InlineData("512Пi", "unknown unit 'Пi'")]
    [InlineData("Mi", "is not a memory size")]
    [InlineData("-1Gi", "is not a memory size")]
    [InlineData("-1", "is not a memory size")]
    [InlineData("+1Gi", "is not a memory size")]
    [InlineData("1e9", "is not a memory size")]
    [InlineData("1,5Gi", "is not a memory size")]
    [InlineData("1.5.5Gi", "is not a memory size")]
    [InlineData("1 Gi", "is not a memory size")]
    [InlineData(".", "is not a memory size")]
    [InlineData("abc", "unknown unit 'abc'")]
    public void TryParse_NotASize_SaysWhyAndHowToWriteOne(string text, string why)
    {
        Assert.False(MemorySize.TryParse(text, out var bytes, out var error));

        Assert.Equal(0, bytes);
        Assert.Contains(why, error, StringComparison.Ordinal);
        Assert.Contains("Mi", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void TryParse_Empty_SaysASizeIsRequired(string? text)
    {
        Assert.False(MemorySize.TryParse(text, out _, out var error));

        Assert.Equal("a memory size is required, such as 512Mi or 1Gi.", error);
    }

    [Theory]
    [InlineData("9223372036854775807")] // long.MaxValue bytes
    [InlineData("8388608Ti")] // 2^63 bytes
    [InlineData("99999999999999999Gi")]
    [InlineData("10000000000000000000000000Ti")] // beyond what a decimal holds once multiplied
    [InlineData("79228162514264337593543950335")] // decimal.MaxValue bytes
    [InlineData("792281625142643375935439503350")] // more digits than a decimal holds
    public void TryParse_TooLarge_IsRefusedWithoutThrowing(string text)
    {
        Assert.False(MemorySize.TryParse(text, out var bytes, out var error));

        Assert.Equal(0, bytes);
        Assert.NotEqual("", error);
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(100L, "100")]
    [InlineData(1536L, "1536")]
    [InlineData(1024L, "1Ki")]
    [InlineData(512L * 1024 * 1024, "512Mi")]
    [InlineData(1024L * 1024 * 1024, "1Gi")]
    [InlineData(1536L * 1024 * 1024, "1536Mi")]
    [InlineData(4L * 1024 * 1024 * 1024, "4Gi")]
    [InlineData(3L * 1024 * 1024 * 1024 * 1024, "3Ti")]
    [InlineData((16L * 1024 * 1024) + (512 * 1024), "16896Ki")]
    public void Format_UsesTheLargestUnitThatDividesEvenly(long bytes, string expected) =>
        Assert.Equal(expected, MemorySize.Format(bytes));

    [Theory]
    [InlineData("512Mi")]
    [InlineData("1.5Gi")]
    [InlineData("512m")]
    [InlineData("2G")]
    [InlineData("100")]
    [InlineData("16896Ki")]
    [InlineData("3Ti")]
    public void Format_OfAParsedSize_ParsesBackToTheSameBytes(string text)
    {
        Assert.True(MemorySize.TryParse(text, out var bytes, out _));

        var formatted = MemorySize.Format(bytes);

        Assert.True(MemorySize.TryParse(formatted, out var again, out var error), error);
        Assert.Equal(bytes, again);
    }
}
