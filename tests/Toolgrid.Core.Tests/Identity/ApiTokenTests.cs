using Toolgrid.Core.Identity;

namespace Toolgrid.Core.Tests.Identity;

public sealed class ApiTokenTests
{
    private static ApiToken Token(DateTimeOffset? expiresAt = null, DateTimeOffset? revokedAt = null) => new()
    {
        UserName = "alice",
        SecretHash = new string('0', 64),
        MadeBy = "socket uid 1000 as alice",
        CreatedAt = Sample.Now,
        ExpiresAt = expiresAt,
        RevokedAt = revokedAt,
    };

    [Fact]
    public void IsUsable_WithoutExpiry_IsFalse_UntilTheStartGivesItOne() => Assert.False(Token().IsUsable(Sample.Now));

    [Fact]
    public void IsUsable_BeforeExpiry_IsTrueAndFromExpiryOn_IsFalse()
    {
        var token = Token(expiresAt: Sample.Now.AddDays(30));

        Assert.True(token.IsUsable(Sample.Now.AddDays(30).AddTicks(-1)));
        Assert.False(token.IsUsable(Sample.Now.AddDays(30)));
    }

    [Fact]
    public void IsUsable_Revoked_IsFalse() => Assert.False(Token(revokedAt: Sample.Now).IsUsable(Sample.Now.AddDays(-1)));
}
