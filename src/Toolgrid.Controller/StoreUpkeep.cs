using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Nodes;
using Toolgrid.Core.Supervision;
using Toolgrid.Store;

namespace Toolgrid.Controller;

/// <summary>What the store keeps besides jobs and their live runs: the nodes seen, and the history of ended runs (trimmed by a <see cref="RunHistoryRule"/>).</summary>
public sealed partial class StoreUpkeep(
    IDbContextFactory<ToolgridDbContext> contexts,
    IBackend backend,
    TimeProvider time,
    ILogger<StoreUpkeep> logger)
{
    private static readonly RunState[] Ended = [RunState.Succeeded, RunState.Failed, RunState.Killed, RunState.Lost, RunState.Skipped];

    private DateTimeOffset _nextTrimAt = DateTimeOffset.MinValue;

    /// <summary>Records the nodes the backend reports, for <c>toolgrid status</c>: a change at once, the rest as <see cref="NodeSighting"/> says.</summary>
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

            NodeSighting.Record(node, seen, now);
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

    /// <summary>Trims the history (<see cref="TrimHistoryAsync"/>) when an hour has passed since the last trim, or none was made yet.</summary>
    public async Task TrimHistoryIfDueAsync(RunHistoryRule rule, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextTrimAt)
        {
            return;
        }

        _nextTrimAt = now + RunHistoryRule.Interval;
        await TrimHistoryAsync(rule, cancellationToken);
    }

    /// <summary>
    /// Deletes the ended runs <paramref name="rule"/> does not keep: those beyond each job's newest
    /// <see cref="RunHistoryRule.KeepRuns"/> ended runs that ended longer than
    /// <see cref="RunHistoryRule.KeepFor"/> ago. Never a run that has not ended, nor a job's last run.
    /// </summary>
    /// <returns>How many runs were deleted.</returns>
    /// <remarks>
    /// Done in batches of <see cref="RunHistoryRule.BatchSize"/> runs, each deleted by id in its own
    /// short transaction, with a pause between two, so that a trim of a million rows never holds
    /// the store's write lock for long: the API and the controller write between the batches.
    /// Only jobs with more runs than are kept by count are looked at (one pass over the index of
    /// runs by job); for each, one indexed read finds its oldest kept run by count.
    /// </remarks>
    public async Task<int> TrimHistoryAsync(RunHistoryRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.KeepRuns < 1 || rule.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule, "a history rule keeps at least one run per job and deletes at least one run per batch");
        }

        var begun = time.GetTimestamp();
        var cutoff = time.GetUtcNow() - rule.KeepFor;
        List<long> jobs;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            jobs = await db.Runs.AsNoTracking()
                .GroupBy(r => r.JobId)
                .Where(g => g.Count() > rule.KeepRuns)
                .Select(g => g.Key)
                .OrderBy(j => j)
                .ToListAsync(cancellationToken);
        }

        var trimmed = 0;
        var batches = 0;
        var trimmedJobs = 0;
        var batch = new List<long>(rule.BatchSize);
        foreach (var jobId in jobs)
        {
            var more = true;
            var afterId = 0L;
            var counted = false;
            while (more)
            {
                var (ids, full) = await OldRunsAsync(jobId, rule, cutoff, afterId, rule.BatchSize - batch.Count, cancellationToken);
                if (ids.Count > 0 && !counted)
                {
                    trimmedJobs++;
                    counted = true;
                }

                batch.AddRange(ids);
                afterId = ids.Count > 0 ? ids[^1] : afterId;
                more = full;
                if (batch.Count >= rule.BatchSize)
                {
                    trimmed += await DeleteAsync(batch, batches++ > 0 ? rule.Pause : TimeSpan.Zero, cancellationToken);
                }
            }
        }

        if (batch.Count > 0)
        {
            trimmed += await DeleteAsync(batch, batches++ > 0 ? rule.Pause : TimeSpan.Zero, cancellationToken);
        }

        if (trimmed > 0)
        {
            var elapsedMs = (long)time.GetElapsedTime(begun).TotalMilliseconds;
            LogTrimmed(trimmed, trimmedJobs, batches, elapsedMs, rule.KeepRuns, rule.KeepFor.TotalDays);
        }

        return trimmed;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> ids, in order, of the runs of <paramref name="jobId"/> after
    /// <paramref name="afterId"/> that the rule does not keep, and whether there may be more.
    /// </summary>
    private async Task<(List<long> Ids, bool Full)> OldRunsAsync(long jobId, RunHistoryRule rule, DateTimeOffset cutoff, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // The oldest of the newest KeepRuns ended runs: everything kept by count is at or after it.
        var oldestKept = await db.Runs.AsNoTracking()
            .Where(r => r.JobId == jobId && Ended.Contains(r.State))
            .OrderByDescending(r => r.Id)
            .Skip(rule.KeepRuns - 1)
            .Select(r => (long?)r.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (oldestKept is not { } boundary)
        {
            return ([], false);
        }

        var ids = await db.Runs.AsNoTracking()
            .Where(r => r.JobId == jobId && r.Id > afterId && r.Id < boundary && Ended.Contains(r.State)
                && (r.FinishedAt ?? r.SubmittedAt) < cutoff)
            .OrderBy(r => r.Id)
            .Select(r => r.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return (ids, ids.Count == limit);
    }

    /// <summary>Deletes the runs of <paramref name="batch"/> in one short transaction (after <paramref name="pause"/>), and empties it.</summary>
    private async Task<int> DeleteAsync(List<long> batch, TimeSpan pause, CancellationToken cancellationToken)
    {
        if (pause > TimeSpan.Zero)
        {
            await Task.Delay(pause, time, cancellationToken);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = batch.ToList();
        batch.Clear();

        // Ended is checked again: a run's end is final, so this only guards the rule itself.
        return await db.Runs.Where(r => ids.Contains(r.Id) && Ended.Contains(r.State)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Removes a deleted job whose runs have all ended, and its runs.</summary>
    public async Task PurgeAsync(PurgeJob purge, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Runs.Where(r => r.JobId == purge.JobId).ExecuteDeleteAsync(cancellationToken);
        await db.Jobs.Where(j => j.Id == purge.JobId && j.DeletedAt != null).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "Trimmed the history: {Count} ended run(s) of {Jobs} job(s) deleted in {Batches} batch(es), {ElapsedMs} ms; each job keeps its newest {Keep} ended runs and every run that ended within {Days} days")]
    private partial void LogTrimmed(int count, int jobs, int batches, long elapsedMs, int keep, double days);
}
