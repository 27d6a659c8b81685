using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Toolgrid.Store.Tests;

public sealed class StoreServiceCollectionExtensionsTests : IAsyncLifetime
{
    private readonly string _directory = TempStore.NewDirectory();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public void AddToolgridStore_BindsTheToolgridStoreSection()
    {
        using var services = TempStore.Build(
            Path.Combine(_directory, "t.db"),
            new Dictionary<string, string?> { ["Toolgrid:Store:Synchronous"] = "normal", ["Toolgrid:Store:BusyTimeout"] = "00:00:05" });

        var options = services.GetRequiredService<IOptions<StoreOptions>>().Value;

        Assert.Equal(Path.Combine(_directory, "t.db"), options.Path);
        Assert.Equal("normal", options.Synchronous);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BusyTimeout);
    }

    [Fact]
    public void AddToolgridStore_BadSettings_AreRefusedWithEveryProblem()
    {
        using var services = TempStore.Build(
            " ",
            new Dictionary<string, string?> { ["Toolgrid:Store:Synchronous"] = "off", ["Toolgrid:Store:BusyTimeout"] = "00:00:00" });

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StoreOptions>>().Value);

        Assert.Equal(3, refused.Failures.Count());
    }

    [Fact]
    public async Task AddToolgridStore_GivesAScopedContextOnTheConfiguredFile()
    {
        var path = Path.Combine(_directory, "scoped.db");
        await using var services = TempStore.Build(path);
        await services.GetRequiredService<StoreMigrator>().MigrateAsync(CancellationToken.None);

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ToolgridDbContext>();

        Assert.Same(db, scope.ServiceProvider.GetRequiredService<ToolgridDbContext>());
        Assert.Equal(path, db.Database.GetDbConnection().DataSource);
        Assert.Equal(0, await db.Tools.CountAsync());
    }

    [Fact]
    public void AddToolgridStore_CalledTwice_RegistersOneValidatorAndOneMigrator()
    {
        var services = new ServiceCollection().AddToolgridStore().AddToolgridStore();

        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<StoreOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(StoreMigrator));
    }
}
