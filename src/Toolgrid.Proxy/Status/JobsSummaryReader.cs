using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Nodes;
using Toolgrid.Store;

namespace Toolgrid.Proxy.Status;

/// <summary>
/// Every tool's <see cref="JobsSummary"/>, read from the store at most once per
/// <see cref="ProxyOptions.StatusCacheDuration"/>, so that a status page reloaded by many at once
/// costs the store one read. Once read, no visitor waits for the store: the first to ask after the
/// summaries are older than that gets them as they are and starts a read behind, whose result the
/// next visitors get (on a site of 10,000 jobs the read takes a third of a second on a quiet
/// machine, seconds on a busy one). Only the first read after the start is waited for. When the
/// store cannot be read, the last summaries are kept and said to be stale.
/// </summary>
public sealed class JobsSummaryReader(IDbContextFactory<ToolgridDbContext> contexts, TimeProvider time, IOptions<ProxyOptions> options) : IDisposable
{
    private readonly Lock _starting = new();
    private readonly CancellationTokenSource _stopping = new();
    private JobsSummaries? _last;
    private long _readAt;
    private Task<JobsSummaries>? _reading;

    /// <summary>The summaries, and whether they are older than they should be (the store could not be read).</summary>
    public async Task<JobsSummaries> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _last) is { } last)
        {
            if (time.GetElapsedTime(Volatile.Read(ref _readAt)) >= options.Value.StatusCacheDuration)
            {
                _ = ReadBehind();
            }

            return last;
        }

        return await ReadBehind().WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>The read on its way, or a new one: one at a time, on the thread pool, not cancelled by the visitor who started it.</summary>
    private Task<JobsSummaries> ReadBehind()
    {
        lock (_starting)
        {
            if (_reading is { IsCompleted: false } reading)
            {
                return reading;
            }

            if (_last is { } last && time.GetElapsedTime(_readAt) < options.Value.StatusCacheDuration)
            {
                // Read by another visitor meanwhile.
                return Task.FromResult(last);
            }

            _reading = Task.Run(ReadNowAsync, CancellationToken.None);
            return _reading;
        }
    }

    private async Task<JobsSummaries> ReadNowAsync()
    {
        var startedAt = time.GetTimestamp();
        var cancellationToken = _stopping.Token;
        try
        {
            var (nodes, queues) = await ReadGridAsync(cancellationToken);
            var read = new JobsSummaries(await ReadAsync(cancellationToken), Stale: false, nodes, queues);
            Volatile.Write(ref _readAt, startedAt);
            Volatile.Write(ref _last, read);
            return read;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nothing read yet: no jobs known, and said to be stale rather than a failed page. The
            // next visitor tries again.
            var stale = _last is { } last
                ? last with { Stale = true }
                : new JobsSummaries(new Dictionary<string, JobsSummary>(StringComparer.Ordinal), Stale: true);
            Volatile.Write(ref _last, stale);
            Volatile.Write(ref _readAt, 0L);
            return stale;
        }
    }

    /// <summary>The nodes (state, queues, runs on each) and the queues they serve: two reads of the store.</summary>
    private async Task<(IReadOnlyList<NodeStatusView> Nodes, IReadOnlyList<QueueStatusView> Queues)> ReadGridAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var nodes = await db.Nodes.AsNoTracking().OrderBy(n => n.Name).ToListAsync(cancellationToken);
        var runs = await db.Runs.AsNoTracking()
            .Where(r => r.Node != null && (r.State == RunState.Starting || r.State == RunState.Running))
            .GroupBy(r => r.Node!)
            .Select(g => new { Node = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Node, x => x.Count, StringComparer.Ordinal, cancellationToken);
        var nodeViews = nodes
            .Select(n => new NodeStatusView(n.Name, QueueServing.StateOf(n, runs.GetValueOrDefault(n.Name)), QueueServing.QueuesOf(n), n.Slots, runs.GetValueOrDefault(n.Name)))
            .ToList();
        var queueViews = QueueServing.Of(nodes, [])
            .Select(q => new QueueStatusView(q.Name, q.Serving.Select(n => n.Name).ToList(), q.Usable.Sum(n => n.Slots), q.State))
            .ToList();
        return (nodeViews, queueViews);
    }

    private async Task<IReadOnlyDictionary<string, JobsSummary>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => j.DeletedAt == null && !j.Interactive && j.Webservice == null)
            .Select(j => new JobFacts(j.Id, j.ToolName, j.Name, j.Kind, j.Restart, j.RestartCount))
            .ToListAsync(cancellationToken);
        if (jobs.Count == 0)
        {
            return new Dictionary<string, JobsSummary>(StringComparer.Ordinal);
        }

        var ids = jobs.Select(j => j.Id).ToList();
        var running = (await db.Runs.AsNoTracking()
                .Where(r => r.State == RunState.Running && ids.Contains(r.JobId))
                .Select(r => new { r.JobId, r.Healthy })
                .ToListAsync(cancellationToken))
            .ToLookup(r => r.JobId, r => r.Healthy);

        // Each job's newest run, one seek of the index of runs by job per job: never every run of
        // the history (a million rows on a large site, seconds to read).
        var newest = await db.NewestRunIds(db.Jobs.Where(j => ids.Contains(j.Id))).ToListAsync(cancellationToken);
        var latest = (await db.Runs.AsNoTracking()
                .Where(r => newest.Contains(r.Id))
                .Select(r => new { r.JobId, r.State, Held = r.NotBefore != null && (r.State == RunState.Queued || r.State == RunState.Starting) })
                .ToListAsync(cancellationToken))
            .ToDictionary(r => r.JobId, r => (State: (RunState?)r.State, r.Held));

        // A run set up ahead of its due time and held until then says nothing yet: the last one
        // before it does (read only for the few jobs that have one, by a walk back from the
        // newest run that stops at the first not held).
        var held = latest.Where(p => p.Value.Held).Select(p => p.Key).ToList();
        if (held.Count > 0)
        {
            var before = await db.NewestRunIds(
                    db.Jobs.Where(j => held.Contains(j.Id)),
                    r => !(r.NotBefore != null && (r.State == RunState.Queued || r.State == RunState.Starting)))
                .ToListAsync(cancellationToken);
            var states = await db.Runs.AsNoTracking().Where(r => before.Contains(r.Id)).Select(r => new { r.JobId, r.State }).ToDictionaryAsync(r => r.JobId, r => r.State, cancellationToken);
            foreach (var job in held)
            {
                latest[job] = (states.TryGetValue(job, out var state) ? state : null, false);
            }
        }

        return jobs.GroupBy(j => j.ToolName, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g =>
            {
                var problems = g.OrderBy(j => j.Name, StringComparer.Ordinal)
                    .Select(j => Problem(j, latest.TryGetValue(j.Id, out var last) ? last.State : null, running[j.Id].ToList()))
                    .OfType<string>()
                    .ToList();
                return new JobsSummary(g.Count(), g.Count(j => running.Contains(j.Id)), problems);
            },
            StringComparer.Ordinal);
    }

    /// <summary>What is wrong with a job now, in words, or null: see <see cref="JobsSummary"/>.</summary>
    /// <param name="job">The job.</param>
    /// <param name="latest">The state of its latest run (a held scheduled run aside).</param>
    /// <param name="running">The health of each of its running runs (null: not checked).</param>
    internal static string? Problem(JobFacts job, RunState? latest, IReadOnlyList<bool?> running)
    {
        switch (job.Kind)
        {
            case JobKind.Scheduled:
                return latest switch
                {
                    RunState.Failed => $"{job.Name}: its last run failed",
                    RunState.Lost => $"{job.Name}: its last run was lost",
                    _ => null,
                };
            case JobKind.Continuous when running.Count > 0:
                return running.Any(healthy => healthy == false) ? $"{job.Name}: unhealthy" : null;
            case JobKind.Continuous:
                if (latest is RunState.Queued or RunState.Starting or null)
                {
                    // On its way up; a crash loop is starting again and again.
                    return job.RestartCount >= Core.Webservices.WebserviceStatus.CrashLoopRestarts ? $"{job.Name}: crash-looping" : null;
                }

                if (latest == RunState.Succeeded && job.Restart == RestartPolicy.OnFailure)
                {
                    return null;
                }

                return job.RestartCount >= Core.Webservices.WebserviceStatus.CrashLoopRestarts ? $"{job.Name}: crash-looping" : $"{job.Name}: not running";
            default:
                return null;
        }
    }

    /// <summary>What the summary needs of a job.</summary>
    internal sealed record JobFacts(long Id, string ToolName, string Name, JobKind Kind, RestartPolicy Restart, int RestartCount);
}

/// <summary>Every tool's jobs summary, by tool name, and the nodes and queues that run them.</summary>
/// <param name="ByTool">The summaries; a tool with no jobs is absent.</param>
/// <param name="Stale">True when the store could not be read and these are the last ones read.</param>
/// <param name="Nodes">Every node, by name.</param>
/// <param name="Queues">Every queue, <c>default</c> first.</param>
public sealed record JobsSummaries(IReadOnlyDictionary<string, JobsSummary> ByTool, bool Stale, IReadOnlyList<NodeStatusView>? Nodes = null, IReadOnlyList<QueueStatusView>? Queues = null)
{
    public JobsSummary For(string tool) => ByTool.GetValueOrDefault(tool) ?? JobsSummary.None;
}
