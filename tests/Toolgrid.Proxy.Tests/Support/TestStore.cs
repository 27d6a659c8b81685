using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Nodes;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Tools;
using Toolgrid.Store;
using Toolgrid.Store.Changes;
using Toolgrid.Tests.Store;

namespace Toolgrid.Proxy.Tests.Support;

/// <summary>
/// A real store (SQLite, migrated) in a directory of its own, with tools' homes beside it, and the
/// writes a controller would make: tools, web service jobs, runs that are running on a port.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    public const string Node = "node-1";

    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    private readonly ServiceProvider _services;

    private TestStore(string root, ServiceProvider services)
    {
        Root = root;
        _services = services;
    }

    /// <summary>The temporary directory that holds the store and the homes.</summary>
    public string Root { get; }

    public string DataRoot => Path.Combine(Root, "data");

    public string StorePath => Path.Combine(Root, "toolgrid.db");

    public IDbContextFactory<ToolgridDbContext> Contexts => _services.GetRequiredService<IDbContextFactory<ToolgridDbContext>>();

    /// <summary>The writes made through <see cref="Contexts"/>, as a proxy in the same process hears of them.</summary>
    public StoreChanges Changes => _services.GetRequiredService<StoreChanges>();

    public static async Task<TestStore> CreateAsync()
    {
        var root = Directory.CreateTempSubdirectory("toolgrid-proxy-tests-").FullName;
        File.Copy(await Template.Value, Path.Combine(root, "toolgrid.db"));
        Directory.CreateDirectory(Path.Combine(root, "data"));
        var store = new TestStore(root, Build(Path.Combine(root, "toolgrid.db")));
        await using var db = store.Contexts.CreateDbContext();
        db.Nodes.Add(new Node { Name = Node, State = NodeState.Up, Backend = "local", LastSeenAt = TimeProvider.System.GetUtcNow() });
        await db.SaveChangesAsync();
        return store;
    }

    public string HomeOf(string tool) => Path.Combine(DataRoot, tool);

    /// <summary>A tool with a home and an empty <c>public_html</c>, as <c>toolgrid tools create</c> makes it.</summary>
    public async Task<Tool> AddToolAsync(string name, string description = "", string[]? maintainers = null, int uid = 50000, int gid = 50000)
    {
        var home = HomeOf(name);
        Directory.CreateDirectory(Path.Combine(home, "public_html"));
        var tool = ToolRecords.New(name, home, uid, gid, maintainers ?? ["alice"], TimeProvider.System.GetUtcNow(), description);
        await using var db = Contexts.CreateDbContext();
        db.Tools.Add(tool);
        await db.SaveChangesAsync();
        return tool;
    }

    /// <summary>A web service job for <paramref name="tool"/> with one running, ready run per port.</summary>
    public async Task<Job> AddWebserviceAsync(string tool, params int[] ports)
    {
        var now = TimeProvider.System.GetUtcNow();
        var job = new Job
        {
            ToolName = tool,
            Name = "webservice",
            Kind = JobKind.Continuous,
            Command = "./serve",
            CreatedBy = "alice",
            CreatedAt = now,
            UpdatedAt = now,
            Replicas = Math.Max(1, ports.Length),
            UsesPort = true,
            HealthCheckHttpPath = "/",
            Webservice = WebserviceType.Generic,
        };
        await using var db = Contexts.CreateDbContext();
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        foreach (var port in ports)
        {
            db.Runs.Add(RunningRun(job, port, now));
        }

        await db.SaveChangesAsync();
        return job;
    }

    /// <summary>
    /// A job of <paramref name="kind"/> (not a web service) with runs in <paramref name="runs"/>'
    /// states, oldest first: an ended one failed (exit 1) or succeeded an hour ago, a running one
    /// is running (and healthy) now.
    /// </summary>
    public async Task<Job> AddJobAsync(string tool, string name, JobKind kind, params RunState[] runs)
    {
        var now = TimeProvider.System.GetUtcNow();
        var job = new Job
        {
            ToolName = tool,
            Name = name,
            Kind = kind,
            Command = "./" + name,
            CreatedBy = "alice",
            CreatedAt = now,
            UpdatedAt = now,
            Schedule = kind == JobKind.Scheduled ? "@daily" : null,
        };
        await using var db = Contexts.CreateDbContext();
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        foreach (var state in runs)
        {
            var ended = state is not (RunState.Queued or RunState.Starting or RunState.Running);
            db.Runs.Add(new Run
            {
                JobId = job.Id,
                ToolName = tool,
                JobName = name,
                Command = job.Command,
                State = state,
                Reason = state switch
                {
                    RunState.Running => RunReason.Started,
                    RunState.Queued => RunReason.Submitted,
                    RunState.Starting => RunReason.Placed,
                    RunState.Lost => RunReason.NodeLost,
                    _ => RunReason.Exited,
                },
                ExitCode = state == RunState.Failed ? 1 : state == RunState.Succeeded ? 0 : null,
                Node = state == RunState.Queued ? null : Node,
                Healthy = state == RunState.Running ? true : null,
                SubmittedAt = now.AddHours(-1),
                StartedAt = state == RunState.Queued ? null : now.AddHours(-1),
                FinishedAt = ended ? now.AddMinutes(-59) : null,
            });
            await db.SaveChangesAsync();
        }

        return job;
    }

    /// <summary>Adds a running, ready run of <paramref name="job"/> on <paramref name="port"/>.</summary>
    public async Task<Run> AddRunAsync(Job job, int port)
    {
        await using var db = Contexts.CreateDbContext();
        var run = RunningRun(job, port, TimeProvider.System.GetUtcNow());
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run;
    }

    /// <summary>Changes the runs of <paramref name="tool"/>'s web service, as the controller would.</summary>
    public async Task UpdateRunsAsync(string tool, Action<Run> change)
    {
        await using var db = Contexts.CreateDbContext();
        foreach (var run in await db.Runs.Where(r => r.ToolName == tool && r.JobName == "webservice").ToListAsync())
        {
            change(run);
            run.Version++;
        }

        await db.SaveChangesAsync();
    }

    /// <summary>Marks every run of the tool's web service ended, and the job deleted: the web service was stopped.</summary>
    public Task StopWebserviceAsync(string tool) => ChangeAsync(async db =>
    {
        var now = TimeProvider.System.GetUtcNow();
        foreach (var job in await db.Jobs.Where(j => j.ToolName == tool && j.Name == "webservice" && j.DeletedAt == null).ToListAsync())
        {
            job.DeletedAt = now;
            job.Version++;
        }

        foreach (var run in await db.Runs.Where(r => r.ToolName == tool && r.JobName == "webservice" && r.State == RunState.Running).ToListAsync())
        {
            run.State = RunState.Killed;
            run.Reason = RunReason.JobDeleted;
            run.FinishedAt = now;
            run.Version++;
        }
    });

    public async Task ChangeAsync(Func<ToolgridDbContext, Task> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var db = Contexts.CreateDbContext();
        await change(db);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Makes the store unreadable (its files moved away, nothing in their place) until
    /// <see cref="Restore"/>. The main file goes first and comes back last, so that no connection
    /// opened meanwhile sees it without its write-ahead log.
    /// </summary>
    public void Break()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(StorePath + suffix))
            {
                File.Move(StorePath + suffix, StorePath + ".away" + suffix);
            }
        }

        SqliteConnection.ClearAllPools();
    }

    public void Restore()
    {
        foreach (var suffix in new[] { "-wal", "-shm", "" })
        {
            if (File.Exists(StorePath + ".away" + suffix))
            {
                File.Move(StorePath + ".away" + suffix, StorePath + suffix, overwrite: true);
            }
        }

        SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }

    private static Run RunningRun(Job job, int port, DateTimeOffset now) => new()
    {
        JobId = job.Id,
        ToolName = job.ToolName,
        JobName = job.Name,
        Command = job.Command,
        State = RunState.Running,
        Reason = RunReason.Started,
        Node = Node,
        Port = port,
        Healthy = true,
        ReadyAt = now,
        SubmittedAt = now,
        StartedAt = now,
        Generation = job.Generation,
    };

    private static ServiceProvider Build(string path)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Toolgrid:Store:Path"] = path, ["Toolgrid:Store:Synchronous"] = "normal" })
            .Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddToolgridStore()
            .BuildServiceProvider();
    }

    private static async Task<string> CreateTemplateAsync()
    {
        var directory = Directory.CreateTempSubdirectory("toolgrid-proxy-template-").FullName;
        var path = Path.Combine(directory, "template.db");
        await using (var services = Build(path))
        {
            await services.GetRequiredService<StoreMigrator>().MigrateAsync(CancellationToken.None);
        }

        SqliteConnection.ClearAllPools();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        return path;
    }
}
