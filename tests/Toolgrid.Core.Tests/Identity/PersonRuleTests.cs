using Toolgrid.Core.Identity;

namespace Toolgrid.Core.Tests.Identity;

public sealed class PersonRuleTests
{
    private const string Setting = "Toolgrid:Accounts:PersonUidMin";

    private static PersonRefusal? Why(string name, int? uid, string? toolOf = null, bool isToolAccount = false) =>
        PersonRule.WhyNotAPerson(name, uid, toolOf, isToolAccount, 1000, Setting);

    [Theory]
    [InlineData("alice", 1000)]
    [InlineData("bob", 60000)]
    public void APersonsUid_May(string name, int uid) => Assert.Null(Why(name, uid));

    [Fact]
    public void ASystemAccount_MayNot_AndTheMessageSaysWhyAndWhere()
    {
        var refusal = Why("www-data", 33);

        Assert.Equal(new PersonRefusal("'www-data' is a system account (uid 33, below 1000, the lowest uid of people on this site: Toolgrid:Accounts:PersonUidMin), not a person; maintainers are people with a login here.", NoSuchUser: false), refusal);
    }

    [Theory]
    [InlineData("root", 0)]
    [InlineData("nobody", 65534)]
    [InlineData("nobody", 1500)]
    [InlineData("nfsnobody", 65534)]
    public void RootAndNobody_MayNot(string name, int uid) => Assert.False(Why(name, uid)!.NoSuchUser);

    [Fact]
    public void AToolsOwnUser_MayNot_AndTheMessageNamesTheTool() =>
        Assert.Contains("own user of tool 'bot'", Why("tools.bot", 50001, toolOf: "bot")!.Reason, StringComparison.Ordinal);

    [Fact]
    public void AnAccountOfTheToolsPrefixOrRange_MayNot() =>
        Assert.Contains("a tool's user", Why("tools.unknown", 50002, isToolAccount: true)!.Reason, StringComparison.Ordinal);

    [Fact]
    public void NoSuchUser_SaysSo() => Assert.True(Why("ghost", null)!.NoSuchUser);
}
