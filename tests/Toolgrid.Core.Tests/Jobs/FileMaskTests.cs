using Toolgrid.Contracts.Jobs;

namespace Toolgrid.Core.Tests.Jobs;

public sealed class FileMaskTests
{
    [Theory]
    [InlineData("022", 0b000_010_010)]
    [InlineData(" 0777 ", 0b111_111_111)]
    [InlineData("0", 0)]
    public void TryParse_OctalDigits_GiveTheMask(string text, int expected)
    {
        Assert.True(FileMask.TryParse(text, out var mask, out _));
        Assert.Equal(expected, mask);
    }

    [Theory]
    [InlineData("1000")]
    [InlineData("089")]
    [InlineData("-1")]
    [InlineData("")]
    public void TryParse_NotAnOctalMaskUpTo0777_SaysHowToWriteOne(string text)
    {
        Assert.False(FileMask.TryParse(text, out _, out var error));
        Assert.Equal($"'{text}' is not a umask: give three octal digits such as 022.", error);
    }

    [Theory]
    [InlineData(0b000_000_010, "002")]
    [InlineData(0b111_111_111, "777")]
    [InlineData(0, "000")]
    public void Format_GivesThreeOctalDigits(int mask, string expected) => Assert.Equal(expected, FileMask.Format(mask));
}
