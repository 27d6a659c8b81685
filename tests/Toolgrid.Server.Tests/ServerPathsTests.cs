
namespace Toolgrid.Server.Tests;

/// <summary><see cref="ServerPaths.PublicApiUrls"/>: the API's TCP addresses as a caller elsewhere writes them (what <c>tokens create</c> shows).</summary>
public sealed class ServerPathsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8470", "http://127.0.0.1:8470")]
    [InlineData("http://127.0.0.1:9001", "http://127.0.0.1:9001")]
    [InlineData("http://*:8471", "http://login.example:8471")]
    [InlineData("http://+:8472", "http://login.example:8472")]
    [InlineData("http://0.0.0.0:8473", "http://login.example:8473")]
    [InlineData("http://[::]:8474", "http://login.example:8474")]
    [InlineData("http://10.0.0.5:8470;http://[::1]:8475", "http://10.0.0.5:8470 http://[::1]:8475")]
    public void PublicApiUrls_NameEveryAddressByWhereItIsReached(string urls, string expected)
    {
        var paths = new ServerPaths("/data", "/state", "/state/db", "/state/runs", null, urls);

        Assert.Equal(expected, string.Join(' ', paths.PublicApiUrls("login.example")));
    }

    [Fact]
    public void PublicApiUrls_WithTcpOff_AreNone() =>
        Assert.Empty(new ServerPaths("/data", "/state", "/state/db", "/state/runs", "/run/toolgrid/api.sock", null).PublicApiUrls("login.example"));

    [Fact]
    public void Resolve_NamesTheStoreTheSiteGave_ElseTheStateDirectorysDatabase()
    {
        var options = new ServerOptions { DataRoot = "/data", StateDirectory = "/state" };

        Assert.Equal("/state/toolgrid.db", ServerPaths.Resolve(options, root: true, uid: 0).StorePath);
        Assert.Equal("/elsewhere/store.db", ServerPaths.Resolve(options, root: true, uid: 0, storePath: "/elsewhere/x/../store.db").StorePath);
        Assert.Equal("/state/toolgrid.db", ServerPaths.Resolve(options, root: true, uid: 0, storePath: " ").StorePath);
    }
}
