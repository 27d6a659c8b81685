using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;

namespace Toolgrid.Core.Tests.Identity;

public sealed class AccessTests
{
    private readonly Core.Tools.Tool _tool = Sample.Tool("mytool", "carol", "alice");

    [Fact]
    public void DemandManage_Maintainer_MayManage()
    {
        Assert.True(Access.CanManage(Sample.Person("alice"), _tool));
        Access.DemandManage(Sample.Person("carol"), _tool);
    }

    [Fact]
    public void DemandManage_TheToolItself_MayManage()
    {
        Assert.True(Access.CanManage(Sample.ToolItself("mytool"), _tool));
        Access.DemandManage(Sample.ToolItself("mytool"), _tool);
    }

    [Fact]
    public void DemandManage_Admin_MayManageAToolTheyDoNotMaintain()
    {
        Assert.True(Access.CanManage(Sample.Person("root", admin: true), _tool));
        Access.DemandManage(Sample.Person("root", admin: true), _tool);
    }

    [Fact]
    public void DemandManage_Stranger_IsForbiddenWithAMessageNamingTheMaintainersAndTheWayIn()
    {
        var refused = Assert.Throws<ToolgridException>(() => Access.DemandManage(Sample.Person("mallory"), _tool));

        Assert.Equal(ErrorKind.Forbidden, refused.Kind);
        Assert.Equal("not-a-maintainer", refused.ErrorCode);
        Assert.Equal(
            "mallory is not a maintainer of tool 'mytool'. Only its maintainers (alice, carol), the tool itself and admins may do this; ask a maintainer to run 'toolgrid maintainers add mytool mallory'.",
            refused.Message);
        Assert.False(Access.CanManage(Sample.Person("mallory"), _tool));
    }

    [Fact]
    public void DemandManage_AnotherTool_IsForbidden()
    {
        var refused = Assert.Throws<ToolgridException>(() => Access.DemandManage(Sample.ToolItself("othertool"), _tool));

        Assert.Equal(ErrorKind.Forbidden, refused.Kind);
        Assert.StartsWith("tools.othertool is not a maintainer of tool 'mytool'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DemandManage_NameDifferingOnlyInCase_IsAStranger() =>
        Assert.False(Access.CanManage(Sample.Person("Alice"), _tool));

    [Fact]
    public void DemandManage_ToolNamedLikeAMaintainer_IsNotThatMaintainer()
    {
        // A tool whose Unix user is "alice" would be a different account; only user names count.
        var caller = new Caller("tools.alice", "alice", false, CallerVia.Token);

        Assert.False(Access.CanManage(caller, _tool));
    }

    [Fact]
    public void DemandAdmin_Admin_Passes() => Access.DemandAdmin(Sample.Person("root", admin: true), "Changing a tool's limits");

    [Theory]
    [InlineData("alice")]
    [InlineData("tools.mytool")]
    public void DemandAdmin_NotAnAdmin_IsForbiddenAndSaysWhatNeedsAnAdmin(string user)
    {
        var caller = new Caller(user, null, false, CallerVia.PeerCredentials);

        var refused = Assert.Throws<ToolgridException>(() => Access.DemandAdmin(caller, "Changing a tool's limits"));

        Assert.Equal(ErrorKind.Forbidden, refused.Kind);
        Assert.Equal("admin-required", refused.ErrorCode);
        Assert.Equal(
            $"Changing a tool's limits needs an admin; {user} is not one. Admins are root and the members of the configured admin group.",
            refused.Message);
    }

    [Fact]
    public void DemandPerson_Person_Passes() => Access.DemandPerson(Sample.Person("alice"), "Creating a tool");

    [Fact]
    public void DemandPerson_Tool_IsForbiddenAndSaysToRunItAsYourself()
    {
        var refused = Assert.Throws<ToolgridException>(() => Access.DemandPerson(Sample.ToolItself("mytool"), "Creating a tool"));

        Assert.Equal(ErrorKind.Forbidden, refused.Kind);
        Assert.Equal("person-required", refused.ErrorCode);
        Assert.Equal("Creating a tool must be done by a person, not by tool 'mytool' itself. Run it as yourself, not after 'toolgrid become' or from one of the tool's runs.", refused.Message);
    }

    [Fact]
    public void DemandPerson_ToolWithItsToken_SaysNotWithATokenOfTheTool()
    {
        var refused = Assert.Throws<ToolgridException>(() => Access.DemandPerson(Sample.ToolItself("mytool") with { Via = CallerVia.Token }, "Adding a maintainer"));

        Assert.Equal("person-required", refused.ErrorCode);
        Assert.EndsWith("Run it as yourself, not with a token of the tool.", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TokenScope.Read, TokenScope.Read, true)]
    [InlineData(TokenScope.Read, TokenScope.Jobs, false)]
    [InlineData(TokenScope.Jobs, TokenScope.Read, true)]
    [InlineData(TokenScope.Jobs, TokenScope.Jobs, true)]
    [InlineData(TokenScope.Jobs, TokenScope.Admin, false)]
    [InlineData(TokenScope.Admin, TokenScope.Admin, true)]
    public void DemandScope_PassesWhenTheCallersScopeIncludesTheOneNeeded(TokenScope has, TokenScope needed, bool passes)
    {
        var caller = Sample.Person("alice") with { Via = CallerVia.Token, Scope = has, TokenId = 7 };

        var refused = Record.Exception(() => Access.DemandScope(caller, needed, "POST /api/v1/tools"));

        if (passes)
        {
            Assert.Null(refused);
        }
        else
        {
            var e = Assert.IsType<ToolgridException>(refused);
            Assert.Equal(("token-scope", ErrorKind.Forbidden), (e.ErrorCode, e.Kind));
            Assert.Equal($"POST /api/v1/tools needs a token with scope {TokenWire.Of(needed)}; token 7 has scope {TokenWire.Of(has)}. Make one with 'toolgrid tokens create --scope {TokenWire.Of(needed)}' on the login host.", e.Message);
        }
    }

    [Fact]
    public void DemandPerson_ToolThatIsAnAdmin_Passes() =>
        Access.DemandPerson(new Caller("tools.admintool", "admintool", true, CallerVia.PeerCredentials), "Creating a tool");

    [Fact]
    public void DemandMaintainer_Maintainer_MayAsk() =>
        Access.DemandMaintainer(Sample.Person("alice"), _tool, "Asking for a queue");

    [Fact]
    public void DemandMaintainer_TheToolItself_IsRefused()
    {
        var refused = Assert.Throws<ToolgridException>(() => Access.DemandMaintainer(Sample.ToolItself("mytool"), _tool, "Asking for a queue"));

        Assert.Equal("person-required", refused.ErrorCode);
    }

    [Fact]
    public void DemandMaintainer_AdminWhoDoesNotMaintainTheTool_IsRefused()
    {
        var refused = Assert.Throws<ToolgridException>(() => Access.DemandMaintainer(Sample.Person("root", admin: true), _tool, "Asking for a queue"));

        Assert.Equal("not-a-maintainer", refused.ErrorCode);
    }
}
