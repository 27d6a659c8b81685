namespace Toolgrid.Store.Tests;

public sealed class StoreOptionsValidatorTests
{
    private readonly StoreOptionsValidator _validator = new();

    [Fact]
    public void Defaults_WithAPath_AreValid()
    {
        var options = new StoreOptions { Path = "/var/lib/toolgrid/toolgrid.db" };

        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.Equal("full", options.Synchronous);
        Assert.Equal(TimeSpan.FromSeconds(30), options.BusyTimeout);
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnce()
    {
        var result = _validator.Validate(null, new StoreOptions { Path = null, Synchronous = "fast", BusyTimeout = TimeSpan.Zero });

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Toolgrid:Store:Path is required: the SQLite database file.",
                "Toolgrid:Store:Synchronous is 'fast'; use full, normal or extra.",
                "Toolgrid:Store:BusyTimeout must be positive.",
            ],
            result.Failures!);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Path_Blank_IsRefused(string path) =>
        Assert.Equal(
            "Toolgrid:Store:Path is required: the SQLite database file.",
            Assert.Single(_validator.Validate(null, new StoreOptions { Path = path }).Failures!));

    [Theory]
    [InlineData("full")]
    [InlineData("normal")]
    [InlineData("extra")]
    public void Synchronous_SafeSetting_IsAccepted(string synchronous) =>
        Assert.True(_validator.Validate(null, new StoreOptions { Path = "x.db", Synchronous = synchronous }).Succeeded);

    [Theory]
    [InlineData("off")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("FULL ")]
    [InlineData("full; PRAGMA foreign_keys=OFF")]
    public void Synchronous_UnsafeOrUnknown_IsRefused(string synchronous) =>
        Assert.StartsWith(
            "Toolgrid:Store:Synchronous",
            Assert.Single(_validator.Validate(null, new StoreOptions { Path = "x.db", Synchronous = synchronous }).Failures!),
            StringComparison.Ordinal);

    [Fact]
    public void BusyTimeout_Negative_IsRefused() =>
        Assert.Equal(
            "Toolgrid:Store:BusyTimeout must be positive.",
            Assert.Single(_validator.Validate(null, new StoreOptions { Path = "x.db", BusyTimeout = TimeSpan.FromSeconds(-1) }).Failures!));
}
