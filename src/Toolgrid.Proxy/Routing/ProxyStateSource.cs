using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Waiting;
using Toolgrid.Store;
using Toolgrid.Store.Changes;

namespace Toolgrid.Proxy.Routing;

/// <summary>
/// Keeps <see cref="Current"/> true to the store: reads the web services, their runs and the nodes
/// as soon as this process writes one of them (<see cref="StoreChanges"/>), and at the latest every
/// <see cref="ProxyOptions.RefreshInterval"/>; the tools when their counts change (or every
/// <see cref="ProxyOptions.ToolsRefreshInterval"/>). Each new state goes to the routes.
/// </summary>
/// <remarks>
/// <para>The poll stays for what this process cannot hear of: writes by another process (a proxy
/// on a host of its own, an API beside it) and bulk statements. Each poll first asks whether
/// anything was committed to the store since it last asked (<see cref="StoreCommits"/>: one query
/// of SQLite's commit counter; elsewhere than SQLite the answer is always yes) and reads the store
/// only then, or when <see cref="ProxyOptions.ToolsRefreshInterval"/> has gone by since the last
/// read; otherwise it only rebuilds the state from the rows last read, at most once a second, so
/// that what the pages say of times ("starting again in 5 s") stays true. So a proxy in front of
/// a thousand web services that do not change does not read them four times a second. Writes
/// heard of in a burst make one read: a read under way when another comes in is followed by one
/// more. Where the store's commits are heard of as they are made (<see cref="StoreCommitWatch"/>),
/// the poll is not made in between: a commit wakes it (within <see cref="ProxyOptions.RefreshInterval"/>),
/// and otherwise it sleeps until the next read of the tools or, with web services, the next rebuild.</para>
/// <para>When the store cannot be read, the proxy keeps serving with the last state it read, marked
/// stale, and says so in the log once per outage: a store that is briefly away (a PostgreSQL
/// fail-over, a locked SQLite file) must not take every tool's site down with it.</para>
/// </remarks>
public sealed partial class ProxyStateSource(
    ProxyStateReader reader,
    StoreProxyConfigProvider routes,
    IOptions<ProxyOptions> options,
    TimeProvider time,
    ILogger<ProxyStateSource> logger,
    IDbContextFactory<ToolgridDbContext> contexts,
    StoreChanges? changes = null,
    StoreCommitWatch? commitWatch = null) : BackgroundService
{
    private static readonly TimeSpan RebuildInterval = TimeSpan.FromSeconds(1);

    private readonly TaskCompletionSource _firstRead = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // A write heard of: at most one waiting, however many come in meanwhile.
    private readonly WakeSignal _written = new();

    // One read at a time: a read that started earlier must not publish its older state after a later one.
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private ProxyState _state = ProxyState.Empty;
    private ToolsFingerprint? _toolsFingerprint;
    private long _toolsReadAt;
    private long _readAt;
    private long _builtAt;
    private WebserviceRows? _rows;
    private DateTimeOffset? _failingSince;

    /// <summary>Raised, on the reading thread, with each state whose routes differ from the last one's (another data plane follows them).</summary>
    public event Action<ProxyState>? RoutesChanged;

    /// <summary>The state last read.</summary>
    public ProxyState Current => Volatile.Read(ref _state);

    /// <summary>Completes once the store has been read for the first time (or has failed to be).</summary>
    public Task FirstRead => _firstRead.Task;

    /// <summary>Reads the store once and publishes what it found. Throws when the store cannot be read.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            await ReadAndPublishAsync(cancellationToken);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public override void Dispose()
    {
        _refreshing.Dispose();
        base.Dispose();
    }

    /// <summary>Whether a row written to the store changes what the proxy knows: tools, maintainers, web service jobs and their runs, nodes' states.</summary>
    public static bool Matters(StoreChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Entity switch
        {
            Core.Tools.Tool or Core.Tools.Maintainer => true,
            Core.Jobs.Job job => job.Webservice is not null,
            Core.Runs.Run run => run.JobName == Core.Webservices.WebserviceStatus.JobName,
            Core.Nodes.Node => change.Touches(nameof(Core.Nodes.Node.State)),
            _ => false,
        };
    }

    private async Task ReadAndPublishAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var fingerprint = await reader.ReadToolsFingerprintAsync(cancellationToken);
        var previous = Current;
        var tools = previous.Tools;
        if (fingerprint != _toolsFingerprint || !previous.Loaded || time.GetElapsedTime(_toolsReadAt) >= settings.ToolsRefreshInterval)
        {
            tools = await reader.ReadToolsAsync(cancellationToken);
            _toolsFingerprint = fingerprint;
            _toolsReadAt = time.GetTimestamp();
        }

        var rows = await reader.ReadWebservicesAsync(cancellationToken);
        _rows = rows;
        _readAt = time.GetTimestamp();
        Publish(tools, rows);
    }

    /// <summary>
    /// How long a poll that hears of commits (<see cref="StoreCommitWatch"/>) sleeps unless woken:
    /// until the next read of the tools, or the next rebuild when there are web services (what their
    /// pages say of times); at least <see cref="ProxyOptions.RefreshInterval"/>, which is also the
    /// wait while the store cannot be read.
    /// </summary>
    private TimeSpan Sleep()
    {
        var settings = options.Value;
        if (_failingSince is not null)
        {
            return settings.RefreshInterval;
        }

        var sleep = settings.ToolsRefreshInterval - time.GetElapsedTime(_readAt);
        if (_rows is { Jobs.Count: > 0 } && RebuildInterval - time.GetElapsedTime(_builtAt) < sleep)
        {
            sleep = RebuildInterval - time.GetElapsedTime(_builtAt);
        }

        return sleep < settings.RefreshInterval ? settings.RefreshInterval : sleep;
    }

    /// <summary>The state again from the rows last read, with the time now; no store read.</summary>
    private void Rebuild()
    {
        if (_rows is { Jobs.Count: > 0 } rows && Current.Loaded)
        {
            Publish(Current.Tools, rows);
        }
    }

    private void Publish(IReadOnlyDictionary<string, ToolSite> tools, WebserviceRows rows)
    {
        var settings = options.Value;
        var state = ProxyStateBuilder.Build(tools, rows, settings, Environment.MachineName, time.GetUtcNow());
        _builtAt = time.GetTimestamp();
        Volatile.Write(ref _state, state);
        if (routes.Update(state, settings))
        {
            var served = state.Webservices.Values.Count(w => w.Replicas.Count > 0);
            var replicas = state.Webservices.Values.Sum(w => w.Replicas.Count);
            LogRoutesChanged(served, replicas);
            RoutesChanged?.Invoke(state);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var listening = changes?.Listen(written =>
        {
            if (written.Any(Matters))
            {
                _written.Wake();
            }
        });
        await using var commits = new StoreCommits(contexts);
        using var watching = commitWatch is { Watching: true } ? commitWatch.Listen(options.Value.RefreshInterval, _written.Wake) : null;
        var woken = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Asked first, so that a commit made during the read is seen at the next poll.
                var committed = await commits.SinceLastAskedAsync(stoppingToken);
                if (woken || committed || _failingSince is not null || time.GetElapsedTime(_readAt) >= options.Value.ToolsRefreshInterval)
                {
                    await RefreshAsync(stoppingToken);
                }
                else if (time.GetElapsedTime(_builtAt) >= RebuildInterval)
                {
                    await _refreshing.WaitAsync(stoppingToken);
                    try
                    {
                        Rebuild();
                    }
                    finally
                    {
                        _refreshing.Release();
                    }
                }

                if (_failingSince is { } since)
                {
                    var outage = time.GetUtcNow() - since;
                    LogStoreBack(outage);
                }

                _failingSince = null;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Keep serving with what was last read; say so once per outage.
                var now = time.GetUtcNow();
                if (_failingSince is null)
                {
                    _failingSince = now;
                    LogStoreUnreadable(e);
                }
                else
                {
                    LogStoreStillUnreadable(e);
                }

                var last = Current;
                if (last.StaleSince is null)
                {
                    Volatile.Write(ref _state, last with { StaleSince = now });
                }
            }

            _firstRead.TrySetResult();
            try
            {
                woken = await _written.WaitAsync(watching is null ? options.Value.RefreshInterval : Sleep(), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        _firstRead.TrySetResult();
    }
}
