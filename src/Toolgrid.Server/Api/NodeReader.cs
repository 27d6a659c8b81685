using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Nodes;
using Toolgrid.Core.Supervision;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary>
/// The nodes as the store holds them, with their runs and, for drained ones, what keeps them from
/// being empty: the same decision the controller makes (<see cref="DrainMoves"/>), read here so
/// that <c>nodes list</c> and <c>status</c> say what the controller waits for.
/// </summary>
public static class NodeReader
{
    private static readonly RunState[] Active = [RunState.Queued, RunState.Starting, RunState.Running];

    /// <summary>Every node, by name.</summary>
    public static async Task<IReadOnlyList<NodeEntryView>> ReadAsync(ToolgridDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var nodes = await db.Nodes.AsNoTracking().OrderBy(n => n.Name).ToListAsync(cancellationToken);
        var runsPerNode = await db.Runs.AsNoTracking()
            .Where(r => r.State == RunState.Starting || r.State == RunState.Running)
            .GroupBy(r => r.Node)
            .Select(g => new { Node = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Node ?? "", x => x.Count, cancellationToken);
        var waits = await WaitsAsync(db, nodes, cancellationToken);
        return nodes.Select(n =>
        {
            var runs = runsPerNode.GetValueOrDefault(n.Name);
            var drain = n.DrainedAt is { } at
                ? new NodeDrainView(n.DrainReason ?? "", n.DrainedBy ?? "", at, n.EngineDrained, waits[n.Name].Select(w => new NodeWaitView(w.RunId, w.ToolName, w.JobName, w.Why)).ToList())
                : null;
            return new NodeEntryView(
                n.Name,
                QueueServing.StateOf(n, runs),
                n.Queues.Split(',', StringSplitOptions.RemoveEmptyEntries),
                n.Slots,
                MemorySize.Describe(n.MemoryBytes),
                CpuQuantity.Format(n.CpuMillis),
                n.LoadAverage is { } load ? Math.Round(load, 2) : null,
                runs,
                n.LastSeenAt,
                drain);
        }).ToList();
    }

    private static async Task<ILookup<string, DrainWait>> WaitsAsync(ToolgridDbContext db, List<Node> nodes, CancellationToken cancellationToken)
    {
        var drained = nodes.Where(n => n.IsDrained).Select(n => n.Name).ToList();
        if (drained.Count == 0)
        {
            return Array.Empty<DrainWait>().ToLookup(w => w.Node, StringComparer.Ordinal);
        }

        // The jobs with a run on a drained node, and all their active runs (the new ones elsewhere too).
        var jobIds = await db.Runs.AsNoTracking()
            .Where(r => Active.Contains(r.State) && r.Node != null && drained.Contains(r.Node))
            .Select(r => r.JobId)
            .Distinct()
            .ToListAsync(cancellationToken);
        var runs = await db.Runs.AsNoTracking().Where(r => jobIds.Contains(r.JobId) && Active.Contains(r.State)).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var jobs = await db.Jobs.AsNoTracking().Where(j => jobIds.Contains(j.Id)).ToListAsync(cancellationToken);
        var toolNames = jobs.Select(j => j.ToolName).Distinct().ToList();
        var disabled = (await db.Tools.AsNoTracking().Where(t => toolNames.Contains(t.Name) && t.DisabledAt != null).Select(t => t.Name).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var capacity = nodes.Select(n => new NodeCapacity(
            n.Name,
            n.Queues.Split(',', StringSplitOptions.RemoveEmptyEntries),
            n.MemoryBytes,
            n.CpuMillis,
            n.Slots,
            Up: n.State == NodeState.Up && !n.IsDrained,
            Drained: n.EngineDrained)).ToList();
        var snapshot = new SupervisorSnapshot(jobs.Select(j => new JobSummary(j, disabled.Contains(j.ToolName), null)).ToList(), runs, capacity)
        {
            Drains = nodes.Where(n => n.IsDrained || n.EngineDrained).Select(n => new NodeDrain(n.Name, n.IsDrained ? n.DrainReason ?? "" : null, n.EngineDrained)).ToList(),
        };
        return DrainMoves.Decide(snapshot).Waits.ToLookup(w => w.Node, StringComparer.Ordinal);
    }
}
