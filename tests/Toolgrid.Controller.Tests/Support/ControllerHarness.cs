using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Tools;
using Toolgrid.Store;

namespace Toolgrid.Controller.Tests.Support;

/// <summary>
/// An active controller as the server builds it (<c>AddToolgridStore</c>, <c>AddToolgridController</c>),
/// over a real SQLite store in a file of its own, with a <see cref="RecordingBackend"/> and a
/// <see cref="FakeTimeProvider"/>. Tests drive its pieces directly (a step, a reconcile, a batch
/// of reports) instead of running its hosted services, so that each test is deterministic.
/// </summary>
internal sealed class ControllerHarness : IAsyncDisposable
{
    /// <summary>A fixed instant, with whole milliseconds (the store keeps times to 0.1 ms).</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 12, 0, 0, 250, TimeSpan.Zero);

    private static readonly string Root = Path.Combine(Path.GetTempPath(), "toolgrid-controller-tests");

    /// <summary>
    /// One store migrated by <see cref="StoreMigrator"/> for the whole test run, copied for each
    /// test: migrating costs far more than copying a small file.
    /// </summary>
    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    /// <summary>Only catches hangs: every test finishes in far less.</summary>
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(1));

    private readonly IDictionary<string, string?> _settings;

    private ControllerHarness(string directory, IDictionary<string, string?> settings)
    {
        Directory = directory;
        _settings = settings;
        Backend = new RecordingBackend(Time);
        Services = Build();
    }

    public string Directory { get; }

    public string StorePath => Path.Combine(Directory, "toolgrid.db");

    public FakeTimeProvider Time { get; } = new(Start);

    public RecordingBackend Backend { get; }

    /// <summary>What the controller logged (kept across <see cref="ReplaceControllerAsync"/>).</summary>
    public LogRecords Logs { get; } = new();

    public ServiceProvider Services { get; private set; }

    public CancellationToken Token => _timeout.Token;

    public SupervisorLoop Loop => Services.GetServices<IHostedService>().OfType<SupervisorLoop>().Single();

    public RunRecorder Recorder => Services.GetRequiredService<RunRecorder>();

    public SupervisorSignal Signal => Services.GetRequiredService<SupervisorSignal>();

    public RunEvents Events => Services.GetRequiredService<RunEvents>();

    /// <summary>A controller over a new, migrated store; <paramref name="settings"/> add to its configuration.</summary>
    public static async Task<ControllerHarness> CreateAsync(IDictionary<string, string?>? settings = null)
    {
        var directory = NewDirectory();
        File.Copy(await Template.Value, Path.Combine(directory, "toolgrid.db"));
        var harness = new ControllerHarness(directory, settings ?? new Dictionary<string, string?>());

        // Up to date already: this only checks so, as the server does at every start.
        await harness.Services.GetRequiredService<StoreMigrator>().MigrateAsync(harness.Token);
        return harness;
    }

    /// <summary>
    /// The controller dies (its services and every connection go) and a new one starts over the
    /// same store file and the same backend, which kept its runs meanwhile.
    /// </summary>
    public async Task ReplaceControllerAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Services = Build();
    }

    /// <summary>One supervisor pass, and the starts it began (they run in the background).</summary>
    public async Task StepAsync()
    {
        await Loop.StepAsync(Token);
        await Services.GetRequiredService<Launches>().DrainAsync();
    }

    /// <summary>One reconcile, and the starts it resumed (they run in the background).</summary>
    public async Task ReconcileAsync()
    {
        await Loop.ReconcileAsync(Token);
        await Services.GetRequiredService<Launches>().DrainAsync();
    }

    /// <summary>The backend sees <paramref name="reports"/> happen, and the controller records them as one batch.</summary>
    public Task ReportAsync(params BackendRunReport[] reports)
    {
        foreach (var report in reports)
        {
            Backend.Hold(report);
        }

        return Recorder.RecordAsync(reports, Token);
    }

    public ToolgridDbContext NewContext() => Services.GetRequiredService<IDbContextFactory<ToolgridDbContext>>().CreateDbContext();

    public async Task<Tool> AddToolAsync(string name = "mytool", DateTimeOffset? disabledAt = null)
    {
        var tool = new Tool
        {
            Name = name,
            UnixUser = "tools." + name,
            Uid = 52001,
            Gid = 52001,
            Home = "/srv/tools/" + name,
            CreatedAt = Start,
            CreatedBy = "alice",
            DisabledAt = disabledAt,
        };
        await using var db = NewContext();
        db.Tools.Add(tool);
        await db.SaveChangesAsync(Token);
        return tool;
    }

    public async Task<Job> AddJobAsync(string tool = "mytool", string name = "fetch", Action<Job>? configure = null)
    {
        var job = new Job
        {
            ToolName = tool,
            Name = name,
            Kind = JobKind.OneOff,
            Command = "./" + name + ".sh",
            MemoryBytes = 512 * MemorySize.MiB,
            CpuMillis = 500,
            CreatedAt = Start,
            CreatedBy = "alice",
            UpdatedAt = Start,
        };
        configure?.Invoke(job);
        await using var db = NewContext();
        db.Jobs.Add(job);
        await db.SaveChangesAsync(Token);
        return job;
    }

    /// <summary>Queues a first run of <paramref name="job"/>, as the API does when a job is submitted.</summary>
    public async Task<Run> QueueRunAsync(Job job, Action<Run>? configure = null)
    {
        var run = NewRuns.Of(job, 1, RunReason.Submitted, Time.GetUtcNow());
        configure?.Invoke(run);
        await using var db = NewContext();
        db.Runs.Add(run);
        await db.SaveChangesAsync(Token);
        return run;
    }

    /// <summary>A tool with one one-off job and its queued first run.</summary>
    public async Task<(Job Job, Run Run)> SubmitAsync(string name = "fetch", Action<Job>? configure = null)
    {
        await using (var db = NewContext())
        {
            if (await db.Tools.FindAsync(["mytool"], Token) is null)
            {
                await AddToolAsync();
            }
        }

        var job = await AddJobAsync(name: name, configure: configure);
        return (job, await QueueRunAsync(job));
    }

    /// <summary>A submitted run placed by a step and reported running by the backend.</summary>
    public async Task<(Job Job, Run Run)> RunningAsync(string name = "fetch", Action<Job>? configure = null)
    {
        var (job, run) = await SubmitAsync(name, configure);
        await StepAsync();
        await ReportAsync(RecordingBackend.Running(run.Id, startedAt: Time.GetUtcNow()));
        return (job, await GetRunAsync(run.Id));
    }

    public async Task<Run> GetRunAsync(long id)
    {
        await using var db = NewContext();
        return await db.Runs.AsNoTracking().SingleAsync(r => r.Id == id, Token);
    }

    public async Task<List<Run>> RunsOfAsync(long jobId)
    {
        await using var db = NewContext();
        return await db.Runs.AsNoTracking().Where(r => r.JobId == jobId).OrderBy(r => r.Id).ToListAsync(Token);
    }

    public async Task<List<Run>> AllRunsAsync()
    {
        await using var db = NewContext();
        return await db.Runs.AsNoTracking().OrderBy(r => r.Id).ToListAsync(Token);
    }

    public async Task<Job?> FindJobAsync(long id)
    {
        await using var db = NewContext();
        return await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, Token);
    }

    public async Task UpdateJobAsync(long id, Action<Job> change)
    {
        await using var db = NewContext();
        var job = await db.Jobs.SingleAsync(j => j.Id == id, Token);
        change(job);
        await db.SaveChangesAsync(Token);
    }

    public async Task UpdateToolAsync(string name, Action<Tool> change)
    {
        await using var db = NewContext();
        var tool = await db.Tools.SingleAsync(t => t.Name == name, Token);
        change(tool);
        await db.SaveChangesAsync(Token);
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

    private static string NewDirectory()
    {
        var directory = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }

    private static async Task<string> CreateTemplateAsync()
    {
        await using var template = new ControllerHarness(NewDirectory(), new Dictionary<string, string?>());
        await template.Services.GetRequiredService<StoreMigrator>().MigrateAsync(template.Token);
        var path = Path.Combine(Root, "template-" + Guid.NewGuid().ToString("N") + ".db");

        // Closing the last connection checkpoints the write-ahead log into the file, which is then complete on its own.
        await template.Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Copy(template.StorePath, path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return path;
    }

    private ServiceProvider Build()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Toolgrid:Store:Path"] = StorePath })
            .AddInMemoryCollection(_settings)
            .Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton<IBackend>(Backend)
            .AddLogging(b => b.AddProvider(Logs))
            .AddToolgridStore()
            .AddToolgridController(active: true)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}
