using Toolgrid.Core.Webservices;

namespace Toolgrid.Core.Tests.Webservices;

/// <summary>Which paths of a tool's site name something hidden, however they are encoded.</summary>
public sealed class DotPathsTests
{
    [Theory]
    [InlineData("/.git/config")]
    [InlineData("/a/.env")]
    [InlineData("/%2egit/config")]
    [InlineData("/a%2F.env")]
    [InlineData("/%25252egit/config")]
    [InlineData("/a\\.ssh\\id_rsa")]
    [InlineData("/..")]
    [InlineData("/a/.well-known/x")]
    [InlineData("/.well-known/.hidden")]
    [InlineData("/.well-known/%2e%2e/.ssh/id_rsa")]
    [InlineData("/.Well-Known/x")]
    public void Hidden(string path) => Assert.True(DotPaths.IsHidden(path));

    [Theory]
    [InlineData("/")]
    [InlineData("")]
    [InlineData("/index.html")]
    [InlineData("/a.b/c.d")]
    [InlineData("/a/b..c")]
    [InlineData("/.well-known/security.txt")]
    [InlineData("//.well-known/acme-challenge/token")]
    [InlineData("/100%25")]
    [InlineData("/%zz")]
    public void NotHidden(string path) => Assert.False(DotPaths.IsHidden(path));
}
