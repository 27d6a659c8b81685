using System.Net;

namespace Toolgrid.Cli.Tests;

public sealed class ExitCodesTests
{
    [Theory]
    [InlineData(HttpStatusCode.BadRequest, ExitCodes.Usage)]
    [InlineData(HttpStatusCode.NotFound, ExitCodes.Refused)]
    [InlineData(HttpStatusCode.Conflict, ExitCodes.Refused)]
    [InlineData(HttpStatusCode.InternalServerError, ExitCodes.Refused)]
    [InlineData(HttpStatusCode.Unauthorized, ExitCodes.NoPermission)]
    [InlineData(HttpStatusCode.Forbidden, ExitCodes.NoPermission)]
    [InlineData(HttpStatusCode.ServiceUnavailable, ExitCodes.Unavailable)]
    [InlineData(HttpStatusCode.BadGateway, ExitCodes.Unavailable)]
    public void For_ARefusal_IsItsDocumentedCode(HttpStatusCode status, int expected) =>
        Assert.Equal(expected, ExitCodes.For(status));

    [Fact]
    public void TheCodes_AreTheSysexitsOnes()
    {
        Assert.Equal(69, ExitCodes.Unavailable);
        Assert.Equal(77, ExitCodes.NoPermission);
        Assert.Equal(2, ExitCodes.Usage);
    }
}
