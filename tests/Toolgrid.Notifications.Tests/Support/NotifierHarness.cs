using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Toolgrid.Core.Notifications;
using Toolgrid.Core.Tools;
using Toolgrid.Store;

namespace Toolgrid.Notifications.Tests.Support;

/// <summary>
/// Notifications as the server registers them for the active controller (<c>AddToolgridStore</c>,
/// <c>AddToolgridNotifications</c>), over a real SQLite store in a file of its own, with a
/// <see cref="FakeTimeProvider"/>. Tests drive the notifier's passes themselves, so that each is
/// deterministic; only the SMTP conversation is real.
/// </summary>
internal sealed class NotifierHarness : IAsyncDisposable
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "toolgrid-notifications-tests");

    /// <summary>One store migrated by <see cref="StoreMigrator"/> for the whole run, copied for each test.</summary>
    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));

    private NotifierHarness(string directory, IDictionary<string, string?> settings)
    {
        Directory = directory;
        Settings = settings;
        Services = Build(StorePath, settings, Time);
    }

    public string Directory { get; }

    public string StorePath => Path.Combine(Directory, "toolgrid.db");

    public IDictionary<string, string?> Settings { get; }

    public FakeTimeProvider Time { get; } = new(Samples.Noon);

    public ServiceProvider Services { get; private set; }

    /// <summary>Only catches hangs.</summary>
    public CancellationToken Token => _timeout.Token;

    public Notifier Notifier => Services.GetRequiredService<Notifier>();

    public MailStatus Status => Services.GetRequiredService<MailStatus>();

    /// <summary>Settings that point mail at <paramref name="server"/>, with <paramref name="more"/> on top.</summary>
    public static Dictionary<string, string?> MailTo(SmtpServer server, params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Toolgrid:Mail:Host"] = "127.0.0.1",
            ["Toolgrid:Mail:Port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Toolgrid:Mail:From"] = "Toolgrid <toolgrid@example.org>",
            ["Toolgrid:Mail:AddressFormat"] = "{user}@example.org",
            ["Toolgrid:Mail:Timeout"] = "00:00:30",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static async Task<NotifierHarness> CreateAsync(IDictionary<string, string?>? settings = null, string? directory = null)
    {
        directory ??= NewDirectory();
        File.Copy(await Template.Value, Path.Combine(directory, "toolgrid.db"));
        return new NotifierHarness(directory, settings ?? new Dictionary<string, string?>());
    }

    public static string NewDirectory()
    {
        var directory = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>toolgridd dies (its services and every connection go) and starts again over the same store, at the same time.</summary>
    public async Task RestartAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Services = Build(StorePath, Settings, Time);
    }

    public ToolgridDbContext NewContext() => Services.GetRequiredService<IDbContextFactory<ToolgridDbContext>>().CreateDbContext();

    public async Task<Tool> AddToolAsync(string name = "mytool", string? email = null, params string[] maintainers)
    {
        var tool = Samples.Tool(name, email, maintainers);
        await using var db = NewContext();
        db.Tools.Add(tool);
        await db.SaveChangesAsync(Token);
        return tool;
    }

    /// <summary>Records a notice, as the controller does when a run ends.</summary>
    public async Task<Notice> AddNoticeAsync(Notice notice)
    {
        await using var db = NewContext();
        db.Notices.Add(notice);
        await db.SaveChangesAsync(Token);
        return notice;
    }

    public async Task<List<Mail>> MailsAsync()
    {
        await using var db = NewContext();
        return await db.Mails.AsNoTracking().OrderBy(m => m.Id).ToListAsync(Token);
    }

    public async Task<List<Notice>> NoticesAsync()
    {
        await using var db = NewContext();
        return await db.Notices.AsNoTracking().OrderBy(n => n.Id).ToListAsync(Token);
    }

    /// <summary>Moves the clock to <paramref name="at"/> and runs one pass of the notifier.</summary>
    public async Task PassAtAsync(DateTimeOffset at)
    {
        if (at > Time.GetUtcNow())
        {
            Time.SetUtcNow(at);
        }

        await Notifier.PassAsync(Token);
    }

    public static ServiceProvider Build(string storePath, IDictionary<string, string?> settings, TimeProvider time)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Toolgrid:Store:Path"] = storePath })
            .AddInMemoryCollection(settings)
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(time)
            .AddLogging()
            .AddToolgridStore();
        services.AddToolgridNotifications();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    private static async Task<string> CreateTemplateAsync()
    {
        var path = Path.Combine(NewDirectory(), "template.db");
        await using (var services = Build(path, new Dictionary<string, string?>(), TimeProvider.System))
        {
            await services.GetRequiredService<StoreMigrator>().MigrateAsync(CancellationToken.None);
        }

        // Closing the last connection checkpoints the WAL into the file, which is then complete on its own.
        SqliteConnection.ClearAllPools();
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _timeout.Dispose();
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
