using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Notifications;
using Toolgrid.Core.Runs;
using Toolgrid.Store;

namespace Toolgrid.Controller;

/// <summary>
/// Writes the notices that changes of runs give (<see cref="NoticeRules.ForChange"/>, under each
/// job's <c>--emails</c>), into the same unit of work as the changes, so that a recorded end and its
/// notice are saved together or not at all. The notifier gathers and mails them later: a run never
/// waits for mail.
/// </summary>
/// <remarks>
/// The output excerpt is read from the tool's home only when a notice takes it. Reading it never
/// fails the recording of an end: a problem leaves the notice without an excerpt.
/// </remarks>
public sealed partial class RunNotices(TimeProvider time, ILogger<RunNotices> logger, IOutputExcerpts? excerpts = null)
{
    /// <summary>
    /// Adds to <paramref name="db"/> (not saved) the notices of the <paramref name="changed"/> runs;
    /// returns how many.
    /// </summary>
    /// <param name="db">The unit of work that changes the runs; their jobs, when tracked, are read as changed there.</param>
    /// <param name="changed">The runs as changed.</param>
    /// <param name="before">Each run's state before the change.</param>
    /// <param name="crashLoopCounted">Whether the end of a run was counted in its continuous job's crash loop (<c>Backoff.OnRunEnded</c>) in this unit of work.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<int> AddAsync(
        ToolgridDbContext db,
        IReadOnlyList<Run> changed,
        IReadOnlyDictionary<long, RunState> before,
        Func<Run, bool>? crashLoopCounted,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(before);

        // Only starts and ends can give a notice; most changes (placing, ready) give none.
        var candidates = changed
            .Where(r => before.TryGetValue(r.Id, out var was) && was != r.State && !was.IsTerminal() && (r.IsTerminal || r.State == RunState.Running))
            .ToList();
        if (candidates.Count == 0)
        {
            return 0;
        }

        // Tracked jobs come back as they are in this unit of work (a crash-loop count just made included).
        var jobIds = candidates.Select(r => r.JobId).Distinct().ToList();
        var jobs = await db.Jobs.Where(j => jobIds.Contains(j.Id)).ToDictionaryAsync(j => j.Id, cancellationToken);
        var toolNames = jobs.Values.Select(j => j.ToolName).Distinct().ToList();
        var homes = await db.Tools.AsNoTracking().Where(t => toolNames.Contains(t.Name))
            .ToDictionaryAsync(t => t.Name, t => t.Home, StringComparer.Ordinal, cancellationToken);

        var now = time.GetUtcNow();
        var added = 0;
        var crashLoopReported = new HashSet<long>();
        foreach (var run in candidates.OrderBy(r => r.FinishedAt ?? r.StartedAt ?? r.SubmittedAt).ThenBy(r => r.Id))
        {
            if (!jobs.TryGetValue(run.JobId, out var job))
            {
                continue;
            }

            // Runs of one job that end together were counted together: one crash-loop report is enough.
            var counted = crashLoopCounted?.Invoke(run) == true && crashLoopReported.Add(job.Id);
            var home = homes.GetValueOrDefault(job.ToolName);
            var notices = NoticeRules.ForChange(job, run, before[run.Id], counted, now, () => ReadExcerpt(home, job));
            foreach (var notice in notices)
            {
                db.Notices.Add(notice);
                LogNoticed(notice.ToolName, notice.JobName, run.Id, notice.Kind, notice.Summary);
                added++;
            }
        }

        return added;
    }

    private string? ReadExcerpt(string? home, Core.Jobs.Job job)
    {
        if (excerpts is null || string.IsNullOrEmpty(home))
        {
            return null;
        }

        try
        {
            return excerpts.Read(home, job);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            LogExcerptFailed(e, job.ToolName, job.Name);
            return null;
        }
    }

    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "Notice for the maintainers of {Tool}/{Job} (run {RunId}, {Kind}): {Summary}")]
    private partial void LogNoticed(string tool, string job, long runId, NoticeKind kind, string summary);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "The output of {Tool}/{Job} could not be read for its notice")]
    private partial void LogExcerptFailed(Exception exception, string tool, string job);
}
