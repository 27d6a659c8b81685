using Toolgrid.Contracts.Jobs;

namespace Toolgrid.Core.Tests.Jobs;

public sealed class HomePathTests
{
    private const string Home = "/srv/tools/foo";

    [Theory]
    [InlineData("out.log", "out.log")]
    [InlineData("logs/out.log", "logs/out.log")]
    [InlineData("/srv/tools/foo/logs/out.log", "logs/out.log")]
    [InlineData("./a//b/./c", "a/b/c")]
    [InlineData("a/b/../c", "a/c")]
    [InlineData("logs/", "logs")]
    [InlineData("/srv/tools/foo/../foo/x", "x")]
    [InlineData("..foo", "..foo")]
    [InlineData("a b.log", "a b.log")]
    [InlineData("jöb.log", "jöb.log")]
    public void TryNormalize_PathInsideTheHome_GivesItRelativeToTheHome(string path, string expected)
    {
        Assert.True(HomePath.TryNormalize(Home, path, out var relative, out var error), error);

        Assert.Equal(expected, relative);
        Assert.Equal("", error);
    }

    [Fact]
    public void TryNormalize_HomeGivenWithATrailingSlash_IsTheSameHome()
    {
        Assert.True(HomePath.TryNormalize(Home + "/", "/srv/tools/foo/x", out var relative, out _));

        Assert.Equal("x", relative);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("../../../../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("/srv/tools/foobar/x")] // shares the home's prefix, but is a sibling
    [InlineData("/srv/tools/foo/../foobar/x")]
    [InlineData("../foo2/x")]
    [InlineData("/")]
    [InlineData("/srv/tools")]
    public void TryNormalize_PathLeavingTheHome_IsRefusedAndNamesTheHome(string path)
    {
        Assert.False(HomePath.TryNormalize(Home, path, out var relative, out var error));

        Assert.Equal("", relative);
        Assert.Contains($"'{path}' leads outside the tool's home ({Home})", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/srv/tools/foo")]
    [InlineData("/srv/tools/foo/")]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("a/..")]
    public void TryNormalize_TheHomeItself_IsRefusedAsNotAFile(string path)
    {
        Assert.False(HomePath.TryNormalize(Home, path, out var relative, out var error));

        Assert.Equal("", relative);
        Assert.Equal($"'{path}' is the tool's home itself, not a file in it.", error);
    }

    [Theory]
    [InlineData("out\0.log")]
    [InlineData("out.log\0")]
    [InlineData("out\n.log")]
    [InlineData("out\r.log")]
    [InlineData("out\t.log")]
    [InlineData("out\u001b[31m.log")]
    [InlineData("out\u007f.log")]
    [InlineData("out\u0085.log")]
    public void TryNormalize_ControlCharacters_AreRefused(string path)
    {
        Assert.False(HomePath.TryNormalize(Home, path, out var relative, out var error));

        Assert.Equal("", relative);
        Assert.Equal("the path holds control characters.", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void TryNormalize_Empty_IsRefused(string path)
    {
        Assert.False(HomePath.TryNormalize(Home, path, out _, out var error));

        Assert.Equal("the path is empty.", error);
    }

    [Fact]
    public void TryNormalize_LongerThan1024_IsRefused()
    {
        Assert.False(HomePath.TryNormalize(Home, new string('a', 1025), out _, out var error));

        Assert.Equal("the path is longer than 1024 characters.", error);
        Assert.True(HomePath.TryNormalize(Home, new string('a', 1024), out _, out _));
    }
}
