using Toolgrid.Core.Accounts;

namespace Toolgrid.Accounts.Tests;

public sealed class ToolAccountsOptionsValidatorTests
{
    private readonly ToolAccountsOptionsValidator _validator = new(new UnixUserDatabase());

    [Fact]
    public void Defaults_AreValid() => Assert.True(_validator.Validate(null, new ToolAccountsOptions()).Succeeded);

    [Theory]
    [InlineData("2770")]
    [InlineData("02775")]
    [InlineData("0700")]
    [InlineData("2750")]
    public void HomeMode_ThatKeepsOthersFromWriting_IsValid(string mode) =>
        Assert.True(_validator.Validate(null, new ToolAccountsOptions { HomeMode = mode }).Succeeded);

    [Theory]
    [InlineData("2777")]
    [InlineData("0660")]
    [InlineData("6770")]
    [InlineData("rwxrws---")]
    [InlineData("")]
    [InlineData("17770")]
    public void HomeMode_ThatLetsOthersWriteOrLocksTheToolOut_IsRefusedSayingWhy(string mode)
    {
        var result = _validator.Validate(null, new ToolAccountsOptions { HomeMode = mode });

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Toolgrid:Accounts:HomeMode must be an octal mode", failure, StringComparison.Ordinal);
        Assert.Contains($"it is '{mode}'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnce()
    {
        var options = new ToolAccountsOptions
        {
            DataRoot = "relative/path",
            UnixUserPrefix = "Tools!",
            UidMin = 500,
            UidMax = 400,
            Shell = "bash",
            DisabledShell = "",
            AdminGroup = "Wheel People",
            ProgramTimeout = TimeSpan.Zero,
        };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Collection(
            result.Failures!,
            f => Assert.StartsWith("Toolgrid:Accounts:DataRoot", f, StringComparison.Ordinal),
            f => Assert.StartsWith("Toolgrid:Accounts:UnixUserPrefix", f, StringComparison.Ordinal),
            f => Assert.StartsWith("Toolgrid:Accounts:UidMin", f, StringComparison.Ordinal),
            f => Assert.StartsWith("Toolgrid:Accounts:UidMax", f, StringComparison.Ordinal),
            f => Assert.StartsWith("Toolgrid:Accounts:Shell", f, StringComparison.Ordinal),
            f => Assert.StartsWith("Toolgrid:Accounts:DisabledShell", f, StringComparison.Ordinal),
            f => Assert.StartsWith("Toolgrid:Accounts:AdminGroup", f, StringComparison.Ordinal),
            f => Assert.StartsWith("Toolgrid:Accounts:ProgramTimeout", f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/etc/sudoers.d/toolgrid", true)]
    [InlineData("", true)]
    [InlineData("/etc/sudoers.d/toolgrid.conf", false)]
    [InlineData("/etc/sudoers.d/toolgrid~", false)]
    [InlineData("sudoers.d/toolgrid", false)]
    [InlineData("/etc/sudoers.d/", false)]
    public void SudoersFile_MustBeAFileSudoReads_OrEmpty(string path, bool valid)
    {
        var result = _validator.Validate(null, new ToolAccountsOptions { SudoersFile = path });

        Assert.True(valid == result.Succeeded, result.FailureMessage);
        if (!valid)
        {
            Assert.StartsWith("Toolgrid:Accounts:SudoersFile", Assert.Single(result.Failures!), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("")]
    public void DataRoot_RootOrEmpty_IsRefused(string dataRoot) =>
        Assert.True(_validator.Validate(null, new ToolAccountsOptions { DataRoot = dataRoot }).Failed);

    [Fact]
    public void Range_HoldingNobody_IsRefused()
    {
        var result = _validator.Validate(null, new ToolAccountsOptions { UidMin = 60000, UidMax = 70000 });

        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains("65534", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Prefix_LeavingTooLittleOfTheName_IsRefused() =>
        Assert.True(_validator.Validate(null, new ToolAccountsOptions { UnixUserPrefix = new string('t', 17) }).Failed);

    [RootFact]
    public void MultiUser_AsRoot_IsValid() =>
        Assert.True(_validator.Validate(null, new ToolAccountsOptions { Mode = AccountMode.MultiUser }).Succeeded);

    [Fact]
    public void MultiUser_NotAsRoot_IsRefused()
    {
        var result = new ToolAccountsOptionsValidator(new NotRoot()).Validate(null, new ToolAccountsOptions { Mode = AccountMode.MultiUser });

        Assert.Contains("needs the server to run as root", result.FailureMessage, StringComparison.Ordinal);
    }

    /// <summary>The real database, seen from an ordinary user's process.</summary>
    private sealed class NotRoot : IUserDatabase
    {
        private readonly UnixUserDatabase _real = new();

        public int EffectiveUid => 1000;

        public int EffectiveGid => 1000;

        public UnixUser? FindUser(int uid) => _real.FindUser(uid);

        public UnixUser? FindUser(string name) => _real.FindUser(name);

        public UnixGroup? FindGroup(int gid) => _real.FindGroup(gid);

        public UnixGroup? FindGroup(string name) => _real.FindGroup(name);

        public IReadOnlyList<int> GroupIdsOf(string userName) => _real.GroupIdsOf(userName);

        public bool IsMember(string userName, string groupName) => _real.IsMember(userName, groupName);

        public IReadOnlyList<UnixUser> ListUsers() => _real.ListUsers();

        public IReadOnlyList<UnixGroup> ListGroups() => _real.ListGroups();
    }
}
