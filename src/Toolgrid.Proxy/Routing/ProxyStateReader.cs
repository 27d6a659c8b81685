using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Nodes;
using Toolgrid.Core.Runs;
using Toolgrid.Store;

namespace Toolgrid.Proxy.Routing;

/// <summary>The queries behind <see cref="ProxyState"/>: small ones every refresh, the whole list of tools only when it changed.</summary>
public sealed class ProxyStateReader(IDbContextFactory<ToolgridDbContext> contexts)
{
    /// <summary>Counts that change when a tool is created or deleted or a maintainer added or removed: cheap to read every refresh.</summary>
    public async Task<ToolsFingerprint> ReadToolsFingerprintAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var all = await db.Tools.CountAsync(cancellationToken);
        var active = await db.Tools.CountAsync(t => t.DisabledAt == null, cancellationToken);
        var maintainers = await db.Maintainers.CountAsync(cancellationToken);
        return new ToolsFingerprint(all, active, maintainers);
    }

    /// <summary>Every tool with its maintainers.</summary>
    public async Task<IReadOnlyDictionary<string, ToolSite>> ReadToolsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tools = await db.Tools.AsNoTracking()
            .Select(t => new { t.Name, t.Description, t.Home, t.Uid, t.Gid, Disabled = t.DisabledAt != null })
            .ToListAsync(cancellationToken);
        var maintainers = (await db.Maintainers.AsNoTracking().Select(m => new { m.ToolName, m.UserName }).ToListAsync(cancellationToken))
            .ToLookup(m => m.ToolName, m => m.UserName, StringComparer.Ordinal);
        return tools.ToDictionary(
            t => t.Name,
            t => new ToolSite(t.Name, t.Description, maintainers[t.Name].Order(StringComparer.Ordinal).ToList(), t.Home, t.Uid, t.Gid, !t.Disabled),
            StringComparer.Ordinal);
    }

    /// <summary>The live web service jobs, their active runs, the nodes' states, and the latest ended run of each job that has been restarting.</summary>
    public async Task<WebserviceRows> ReadWebservicesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var jobs = await db.Jobs.AsNoTracking().Where(j => j.Webservice != null && j.DeletedAt == null).ToListAsync(cancellationToken);
        var nodes = await db.Nodes.AsNoTracking().Select(n => new { n.Name, n.State }).ToDictionaryAsync(n => n.Name, n => n.State, StringComparer.Ordinal, cancellationToken);
        if (jobs.Count == 0)
        {
            return new WebserviceRows(jobs, [], [], nodes);
        }

        var ids = jobs.Select(j => j.Id).ToList();
        var runs = await db.Runs.AsNoTracking()
            .Where(r => (r.State == RunState.Queued || r.State == RunState.Starting || r.State == RunState.Running) && ids.Contains(r.JobId))
            .ToListAsync(cancellationToken);

        List<Run> ended = [];
        var restarting = jobs.Where(j => j.RestartCount > 0).Select(j => j.Id).ToList();
        if (restarting.Count > 0)
        {
            var latest = await db.Runs.AsNoTracking()
                .Where(r => restarting.Contains(r.JobId) && r.State != RunState.Queued && r.State != RunState.Starting && r.State != RunState.Running)
                .GroupBy(r => r.JobId)
                .Select(g => g.Max(r => r.Id))
                .ToListAsync(cancellationToken);
            ended = await db.Runs.AsNoTracking().Where(r => latest.Contains(r.Id)).ToListAsync(cancellationToken);
        }

        return new WebserviceRows(jobs, runs, ended, nodes);
    }
}

/// <summary>Counts of tools, active tools and maintainers.</summary>
public sealed record ToolsFingerprint(int Tools, int ActiveTools, int Maintainers);

/// <summary>The rows behind the web services of a <see cref="ProxyState"/>.</summary>
/// <param name="Jobs">Live jobs with <see cref="Job.Webservice"/> set.</param>
/// <param name="ActiveRuns">Their runs that have not ended.</param>
/// <param name="LatestEnded">The latest ended run of each job that has been restarting.</param>
/// <param name="Nodes">Every node's state, by name.</param>
public sealed record WebserviceRows(IReadOnlyList<Job> Jobs, IReadOnlyList<Run> ActiveRuns, IReadOnlyList<Run> LatestEnded, IReadOnlyDictionary<string, NodeState> Nodes);
