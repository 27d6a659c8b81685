using Toolgrid.Contracts.Tools;
using Toolgrid.Core.Tools;

namespace Toolgrid.Core.Tests.Tools;

public sealed class ReservedToolNamesTests
{
    [Theory]
    [InlineData("root")]
    [InlineData("admin")]
    [InlineData("www")]
    [InlineData("api")]
    [InlineData("toolgrid")]
    [InlineData("tools")]
    [InlineData("static")]
    [InlineData("status")]
    [InlineData("mail")]
    [InlineData("login")]
    [InlineData("healthz")]
    public void TheDefaultList_HoldsTheSitesOwnNames(string name) =>
        Assert.Contains("is a reserved name on this site", ReservedToolNames.WhyReserved(name, ReservedToolNames.Default.ToList()), StringComparison.Ordinal);

    [Fact]
    public void EveryDefaultName_IsAToolName() => Assert.All(ReservedToolNames.Default, n => Assert.True(ToolName.IsValid(n), n));

    [Theory]
    [InlineData("mytool")]
    [InlineData("admins")]
    [InlineData("api-client")]
    public void OtherNames_AreFree(string name) => Assert.Null(ReservedToolNames.WhyReserved(name, ReservedToolNames.Default.ToList()));

    [Fact]
    public void ASitesList_IsTheOneThatCounts()
    {
        string[] site = ["wiki"];

        Assert.NotNull(ReservedToolNames.WhyReserved("wiki", site));
        Assert.Null(ReservedToolNames.WhyReserved("api", site));
    }
}
