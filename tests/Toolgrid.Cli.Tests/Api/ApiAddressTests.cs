using Toolgrid.Cli.Api;

namespace Toolgrid.Cli.Tests.Api;

public sealed class ApiAddressTests
{
    [Fact]
    public void TryParse_UnixSocket_GivesTheSocketAndLocalhostRequests()
    {
        Assert.True(ApiAddress.TryParse("unix:/run/toolgrid/api.sock", out var address, out _));

        Assert.True(address!.IsUnixSocket);
        Assert.Equal("/run/toolgrid/api.sock", address.SocketPath);
        Assert.Equal(new Uri("http://localhost/"), address.RequestBase);
        Assert.Equal("unix:/run/toolgrid/api.sock", address.ToString());
    }

    [Theory]
    [InlineData("http://127.0.0.1:8470", "http://127.0.0.1:8470/")]
    [InlineData("https://toolgrid.example.org", "https://toolgrid.example.org/")]
    [InlineData("https://example.org/toolgrid", "https://example.org/toolgrid/")]
    public void TryParse_Http_GivesABaseEndingInASlash(string text, string expected)
    {
        Assert.True(ApiAddress.TryParse(text, out var address, out _));

        Assert.False(address!.IsUnixSocket);
        Assert.Equal(new Uri(expected), address.RequestBase);
    }

    [Theory]
    [InlineData("")]
    [InlineData("unix:")]
    [InlineData("ftp://example.org")]
    [InlineData("localhost:8470")]
    [InlineData("http://example.org/?x=1")]
    [InlineData("/run/toolgrid/api.sock")]
    public void TryParse_Nonsense_IsRefusedWithAHint(string text)
    {
        Assert.False(ApiAddress.TryParse(text, out var address, out var error));

        Assert.Null(address);
        Assert.Contains("unix:/path/api.sock", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultSocketPaths_AreTheSystemsThenTheRuntimeDirectorysThenTmp()
    {
        Assert.Equal(
            ["/run/toolgrid/api.sock", "/run/user/1000/toolgrid/api.sock", "/tmp/toolgrid-1000/api.sock"],
            ApiAddress.DefaultSocketPaths("/run/user/1000", 1000));
        Assert.Equal(
            ["/run/toolgrid/api.sock", "/tmp/toolgrid-1000/api.sock"],
            ApiAddress.DefaultSocketPaths(null, 1000));
    }
}
