using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Nodes;
using Toolgrid.Core.Supervision;
using Toolgrid.Store;

namespace Toolgrid.Controller;

/// <summary>What the store keeps besides jobs and their live runs: the nodes seen, and the history of ended runs.</summary>
public sealed partial class StoreUpkeep(
    IDbContextFactory<ToolgridDbContext> contexts,
    IBackend backend,
    TimeProvider time,
    ILogger<StoreUpkeep> logger)
{
    /// <summary>Records the nodes the backend reports, for <c>toolgrid status</c>.</summary>
    public async Task RecordNodesAsync(IReadOnlyList<NodeCapacity> nodes, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var names = nodes.Select(n => n.Name).ToList();
        var known = await db.Nodes.Where(n => names.Contains(n.Name)).ToDictionaryAsync(n => n.Name, StringComparer.Ordinal, cancellationToken);
        foreach (var seen in nodes)
        {
            if (!known.TryGetValue(seen.Name, out var node))
            {
                node = new Node { Name = seen.Name, Backend = backend.Name };
                db.Nodes.Add(node);
            }

            node.State = seen.Up ? (node.IsDrained ? NodeState.Draining : NodeState.Up) : seen.Drained ? NodeState.Draining : NodeState.Down;
            node.LoadAverage = seen.LoadAverage;
            node.Queues = string.Join(',', seen.Queues);
            node.MemoryBytes = seen.MemoryBytes;
            node.CpuMillis = seen.CpuMillis;
            node.HostMemoryBytes = seen.HostMemoryBytes;
            node.HostCpuMillis = seen.HostCpuMillis;
            node.Slots = seen.Slots;
            node.LastSeenAt = now;
        }

        // A node the backend no longer reports is down, not silently "up" forever.
        var gone = await db.Nodes.Where(n => n.Backend == backend.Name && !names.Contains(n.Name) && n.State != NodeState.Down).ToListAsync(cancellationToken);
        foreach (var node in gone)
        {
            node.State = NodeState.Down;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Records whether the controller has drained <paramref name="name"/> in the backend's engine.</summary>
    public async Task MarkEngineDrainedAsync(string name, bool drained, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Nodes.Where(n => n.Name == name).ExecuteUpdateAsync(s => s.SetProperty(n => n.EngineDrained, drained), cancellationToken);
    }

    /// <summary>Keeps the newest <paramref name="keep"/> runs of each job; older ended runs are deleted.</summary>
    public async Task TrimHistoryAsync(int keep, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ended = new[] { RunState.Succeeded, RunState.Failed, RunState.Killed, RunState.Lost, RunState.Skipped };
        var trimmed = await db.Runs
            .Where(r => ended.Contains(r.State)
                && db.Runs.Count(newer => newer.JobId == r.JobId && newer.Id > r.Id) >= keep)
            .ExecuteDeleteAsync(cancellationToken);
        if (trimmed > 0)
        {
            LogTrimmed(trimmed, keep);
        }
    }

    /// <summary>Removes a deleted job whose runs have all ended, and its runs.</summary>
    public async Task PurgeAsync(PurgeJob purge, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Runs.Where(r => r.JobId == purge.JobId).ExecuteDeleteAsync(cancellationToken);
        await db.Jobs.Where(j => j.Id == purge.JobId && j.DeletedAt != null).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "Trimmed {Count} old run(s): each job keeps its newest {Keep}")]
    private partial void LogTrimmed(int count, int keep);
}
