using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Toolgrid.Store.Tests;

/// <summary>
/// A store in a SQLite file of its own, in a temporary directory, opened the way the server opens
/// it: configuration under <c>Toolgrid:Store</c>, <see cref="StoreServiceCollectionExtensions.AddToolgridStore"/>,
/// <see cref="StoreMigrator"/>.
/// </summary>
internal sealed class TempStore : IAsyncDisposable
{
    private static readonly string Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "toolgrid-store-tests");

    /// <summary>
    /// One store migrated by <see cref="StoreMigrator"/> for the whole test run, copied for each
    /// test that wants a migrated store: migrating costs far more than copying a small file.
    /// </summary>
    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    private TempStore(string directory, ServiceProvider services)
    {
        Directory = directory;
        Services = services;
    }

    public string Directory { get; }

    public string Path => System.IO.Path.Combine(Directory, "toolgrid.db");

    public ServiceProvider Services { get; private set; }

    public IDbContextFactory<ToolgridDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<ToolgridDbContext>>();

    /// <summary>Creates a store; migrated unless <paramref name="migrate"/> is false.</summary>
    public static async Task<TempStore> CreateAsync(bool migrate = true, IDictionary<string, string?>? settings = null)
    {
        var directory = NewDirectory();
        var path = System.IO.Path.Combine(directory, "toolgrid.db");
        if (migrate)
        {
            File.Copy(await Template.Value, path);
        }

        return new TempStore(directory, Build(path, settings));
    }

    /// <summary>A new, empty directory of its own under the system's temporary directory.</summary>
    public static string NewDirectory()
    {
        var directory = System.IO.Path.Combine(Root, Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }

    private static async Task<string> CreateTemplateAsync()
    {
        var path = System.IO.Path.Combine(NewDirectory(), "template.db");
        await using (var services = Build(path))
        {
            await services.GetRequiredService<StoreMigrator>().MigrateAsync(CancellationToken.None);
        }

        // Closing the last connection checkpoints the WAL into the file, which is then complete on its own.
        SqliteConnection.ClearAllPools();
        return path;
    }

    /// <summary>The services of a server using the file at <paramref name="path"/>.</summary>
    public static ServiceProvider Build(string path, IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Toolgrid:Store:Path"] = path })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddToolgridStore()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public ToolgridDbContext NewContext() => Contexts.CreateDbContext();

    /// <summary>Closes every connection, as a stopped server would, and opens the file again with new services.</summary>
    public async Task ReopenAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Services = Build(Path);
    }

    /// <summary>
    /// Brings a store that was not migrated to <paramref name="migration"/> only, as an older
    /// version left it: the file created first, as <see cref="StoreMigrator"/> does (no other
    /// connection creates it).
    /// </summary>
    public async Task MigrateToAsync(string migration)
    {
        if (!File.Exists(Path))
        {
            await File.WriteAllBytesAsync(Path, []);
        }

        await using var db = NewContext();
        await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync(migration);
    }

    /// <summary>A plain connection to the file, outside EF and the store's own connection settings.</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless; failing a test over it would not be.
        }
    }
}
