using System.Globalization;

namespace Toolgrid.Accounts.Tests;

[Collection(SharedUserDatabase.Name)]
public sealed class UnixUserDatabaseTests : IDisposable
{
    private readonly HostAccounts _host = new();
    private readonly UnixUserDatabase _users = new();

    // Buffers of one byte and one group: every lookup has to grow them (ERANGE, getgrouplist's -1).
    private readonly UnixUserDatabase _tight = new(initialBufferSize: 1, initialGroupCount: 1);

    public static TheoryData<string> Databases => ["normal", "tight"];

    public void Dispose() => _host.Dispose();

    [Theory]
    [MemberData(nameof(Databases))]
    public void FindUser_Uid0_IsRoot(string database)
    {
        var root = Db(database).FindUser(0);

        Assert.NotNull(root);
        Assert.Equal("root", root.Name);
        Assert.Equal(0, root.Uid);
        Assert.Equal(0, root.Gid);
        Assert.Equal("/root", root.Home);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public void FindUser_ByName_MatchesGetent(string database)
    {
        var expected = HostAccounts.Passwd("root")!;

        var root = Db(database).FindUser("root");

        Assert.Equal(new UnixUser(expected.Name, expected.Uid, expected.Gid, expected.Home, expected.Shell), root);
    }

    [Theory]
    [InlineData("tgacct-nobody-at-all")]
    [InlineData("")]
    [InlineData("root\0x")]
    public void FindUser_MissingName_IsNull(string name) => Assert.Null(_users.FindUser(name));

    [Fact]
    public void FindUser_MissingUid_IsNull() => Assert.Null(_users.FindUser(2_000_000_000));

    [Theory]
    [MemberData(nameof(Databases))]
    public void FindGroup_Root_IsGid0(string database)
    {
        Assert.Equal(0, Db(database).FindGroup("root")?.Gid);
        Assert.Equal("root", Db(database).FindGroup(0)?.Name);
    }

    [Fact]
    public void FindGroup_Missing_IsNull()
    {
        Assert.Null(_users.FindGroup("tgacct-no-such-group"));
        Assert.Null(_users.FindGroup(2_000_000_000));
    }

    [Fact]
    public void EffectiveIds_AreThoseIdSays()
    {
        Assert.Equal(Command.Succeed("/usr/bin/id", "-u").Trim(), _users.EffectiveUid.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Command.Succeed("/usr/bin/id", "-g").Trim(), _users.EffectiveGid.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public void GroupIdsOf_Root_HoldsItsPrimaryGroup(string database) => Assert.Contains(0, Db(database).GroupIdsOf("root"));

    [Fact]
    public void GroupIdsOf_MissingUser_IsEmpty() => Assert.Empty(_users.GroupIdsOf("tgacct-nobody-at-all"));

    [Fact]
    public void IsMember_PrimaryGroup_Counts() => Assert.True(_users.IsMember("root", "root"));

    [Fact]
    public void IsMember_MissingUserOrGroup_IsFalse()
    {
        Assert.False(_users.IsMember("tgacct-nobody-at-all", "root"));
        Assert.False(_users.IsMember("root", "tgacct-no-such-group"));
    }

    [Fact]
    public void ListUsersAndGroups_HoldRoot()
    {
        Assert.Contains(_tight.ListUsers(), u => u.Name == "root" && u.Uid == 0);
        Assert.Contains(_tight.ListGroups(), g => g.Name == "root" && g.Gid == 0);
        Assert.Equal(
            Command.Succeed("/usr/bin/getent", "passwd").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length,
            _users.ListUsers().Count);
    }

    [RootFact]
    public void SupplementaryMembership_IsSeen_AndNonMembersAreNot()
    {
        var alice = HostAccounts.MakePerson("alice");
        var bob = HostAccounts.MakePerson("bob");
        var crew = HostAccounts.MakeGroup("crew", alice.Name);

        foreach (var users in new[] { _users, _tight })
        {
            Assert.True(users.IsMember(alice.Name, crew.Name));
            Assert.False(users.IsMember(bob.Name, crew.Name));
            Assert.True(users.IsMember(bob.Name, bob.Name));
            Assert.Equal([alice.Name], users.FindGroup(crew.Name)!.Members);
            Assert.Equal(new[] { alice.Gid, crew.Gid }.Order(), users.GroupIdsOf(alice.Name).Order());
            Assert.Equal([bob.Gid], users.GroupIdsOf(bob.Name));
        }
    }

    [RootFact]
    public void GroupWithManyMembers_IsReadWhole()
    {
        var people = Enumerable.Range(0, 40).Select(i => HostAccounts.MakePerson($"p{i:00}-{new string('x', 20)}").Name).ToArray();
        var crowd = HostAccounts.MakeGroup("crowd");
        Command.Succeed("/usr/bin/gpasswd", "--members", string.Join(',', people), crowd.Name);

        Assert.Equal(people, _tight.FindGroup(crowd.Name)!.Members);
        Assert.Equal(people, _users.FindGroup(crowd.Gid)!.Members);
    }

    private UnixUserDatabase Db(string name) => name == "tight" ? _tight : _users;
}
