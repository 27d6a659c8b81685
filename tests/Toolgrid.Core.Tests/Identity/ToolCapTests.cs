using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;

namespace Toolgrid.Core.Tests.Identity;

public sealed class ToolCapTests
{
    [Fact]
    public void BelowTheCap_Passes() => ToolCap.Demand(Sample.Person("alice"), created: 24, cap: 25, raised: false);

    [Fact]
    public void AtTheCap_IsRefused_NamingTheCapAndHowToGetItRaised()
    {
        var refused = Assert.Throws<ToolgridException>(() => ToolCap.Demand(Sample.Person("alice"), created: 25, cap: 25, raised: false));

        Assert.Equal((ErrorKind.QuotaExceeded, "tool-quota-exceeded"), (refused.Kind, refused.ErrorCode));
        Assert.Equal(
            "alice has created 25 active tools and may create 25 (the site's limit per person). Delete a tool you no longer need ('toolgrid tools delete NAME'), or ask an admin to raise your limit ('toolgrid users limits alice --max-tools N').",
            refused.Message);
    }

    [Fact]
    public void AtARaisedCap_SaysAnAdminSetIt() =>
        Assert.Contains("the limit an admin set for you", Assert.Throws<ToolgridException>(() => ToolCap.Demand(Sample.Person("alice"), 50, 50, raised: true)).Message, StringComparison.Ordinal);

    [Fact]
    public void Admins_AreNotCapped() => ToolCap.Demand(Sample.Person("root", admin: true), created: 1000, cap: 25, raised: false);
}
