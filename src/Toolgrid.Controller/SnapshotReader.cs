using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Supervision;
using Toolgrid.Store;

namespace Toolgrid.Controller;

/// <summary>Reads from the store what the supervisor decides from.</summary>
/// <remarks>
/// A pass reads the scheduled jobs due by its time plus the lead time (by <see cref="Job.NextDueAt"/>,
/// indexed), not every scheduled job: with a thousand schedules of which none is due, it reads
/// none of them. The first read of a controller reads them all once, so that every job's next
/// due time is worked out again under this controller's settings (its site time zone).
/// </remarks>
public sealed class SnapshotReader(IDbContextFactory<ToolgridDbContext> contexts, Microsoft.Extensions.Options.IOptions<ControllerOptions> options, TimeProvider time)
{
    private static readonly RunState[] Active = [RunState.Queued, RunState.Starting, RunState.Running];

    // The schedules of the last snapshot, by what each was read from: the supervisor looks at
    // every scheduled job's due times each pass, and reading a schedule costs more than the pass's
    // use of it. Only the last snapshot's are kept, so an edited or deleted job's old one goes.
    private readonly Lock _schedulesLock = new();
    private Dictionary<(string Text, string Tool, string Job, string Zone), CronSchedule> _schedules = [];

    private volatile bool _everySchedule = true;

    public async Task<IReadOnlyList<Run>> ActiveRunsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking().Where(r => Active.Contains(r.State)).OrderBy(r => r.Id).ToListAsync(cancellationToken);
    }

    /// <summary>The snapshot, with <paramref name="nodes"/> as the backend listed them and whether its engine places runs itself.</summary>
    public async Task<SupervisorSnapshot> ReadAsync(IReadOnlyList<NodeCapacity> nodes, bool enginePlaces, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // One state for all the queries below: a job and its first run committed between two of
        // them would read as a job with no run, and get a second.
        await using var snapshot = await ReadSnapshot.BeginAsync(db, cancellationToken);
        var active = await db.Runs.AsNoTracking().Where(r => Active.Contains(r.State)).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var activeJobIds = active.Select(r => r.JobId).Distinct().ToList();

        // The jobs that may need a step: those with active runs, deleted ones (to stop and purge),
        // continuous ones, scheduled ones due by the horizon (or whose next due time is not known
        // yet, see the remarks), those whose policy may call for another attempt, one-off ones a
        // maintainer restarted, and interactive ones (purged once their session is over).
        var everySchedule = _everySchedule;
        var horizon = time.GetUtcNow() + options.Value.ScheduleLeadTime;
        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => activeJobIds.Contains(j.Id) || j.DeletedAt != null || j.Retry > 0 || j.Kind == JobKind.Continuous
                || (j.Kind == JobKind.Scheduled && (everySchedule || j.NextDueAt == null || j.NextDueAt <= horizon))
                || (j.Kind == JobKind.OneOff && j.Generation > 1) || j.Interactive)
            .ToListAsync(cancellationToken);
        var nextDue = everySchedule ? null : await db.Jobs.AsNoTracking()
            .Where(j => j.Kind == JobKind.Scheduled && j.DeletedAt == null && j.NextDueAt > horizon)
            .OrderBy(j => j.NextDueAt)
            .Select(j => j.NextDueAt)
            .FirstOrDefaultAsync(cancellationToken);
        var jobIds = jobs.Select(j => j.Id).ToList();
        var latestIds = await db.Runs.AsNoTracking()
            .Where(r => jobIds.Contains(r.JobId))
            .GroupBy(r => r.JobId)
            .Select(g => g.Max(r => r.Id))
            .ToListAsync(cancellationToken);
        var latest = await db.Runs.AsNoTracking().Where(r => latestIds.Contains(r.Id)).ToDictionaryAsync(r => r.JobId, cancellationToken);
        var toolNames = jobs.Select(j => j.ToolName).Distinct().ToList();
        var disabled = (await db.Tools.AsNoTracking()
            .Where(t => toolNames.Contains(t.Name) && t.DisabledAt != null)
            .Select(t => t.Name)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

        var schedules = Schedules(jobs, options.Value.TimeZone);
        var summaries = jobs.Select(j => new JobSummary(j, disabled.Contains(j.ToolName), latest.GetValueOrDefault(j.Id), schedules.GetValueOrDefault(j.Id))).ToList();
        var settings = new Core.Scheduling.ScheduleSettings(options.Value.ScheduleLateness, options.Value.CatchUpWindow, Core.Scheduling.ScheduleSettings.Default.MaxRecordedMisses)
        {
            LeadTime = options.Value.ScheduleLeadTime,
        };
        var drains = await db.Nodes.AsNoTracking()
            .Where(n => n.DrainedAt != null || n.EngineDrained)
            .Select(n => new NodeDrain(n.Name, n.DrainedAt != null ? n.DrainReason ?? "" : null, n.EngineDrained))
            .ToListAsync(cancellationToken);
        _everySchedule = false;
        return new SupervisorSnapshot(summaries, active, nodes, options.Value.TimeZone, settings, enginePlaces) { NextDueAt = nextDue, Drains = drains };
    }

    /// <summary>The schedules of the scheduled jobs among <paramref name="jobs"/> that can be read, by job id.</summary>
    private Dictionary<long, CronSchedule> Schedules(List<Job> jobs, string siteTimeZone)
    {
        var byJob = new Dictionary<long, CronSchedule>();
        lock (_schedulesLock)
        {
            var kept = new Dictionary<(string, string, string, string), CronSchedule>();
            foreach (var job in jobs.Where(j => j.Kind == JobKind.Scheduled && j.DeletedAt is null))
            {
                var key = (job.Schedule ?? "", job.ToolName, job.Name, job.TimeZone ?? siteTimeZone);
                if (!_schedules.TryGetValue(key, out var schedule) && (schedule = Supervisor.Read(job, siteTimeZone)) is null)
                {
                    continue;
                }

                kept[key] = schedule;
                byJob[job.Id] = schedule;
            }

            _schedules = kept;
        }

        return byJob;
    }
}
