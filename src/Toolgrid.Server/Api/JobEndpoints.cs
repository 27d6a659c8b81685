using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Runs;
using Toolgrid.Contracts.Validation;
using Toolgrid.Controller;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Tools;
using Toolgrid.Server.Identity;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary><c>/api/v1/tools/{tool}/jobs</c>: a tool's jobs and their runs.</summary>
/// <remarks>The API never starts a run: it records the job and a queued run, and wakes the controller.</remarks>
public static class JobEndpoints
{
    public const int RunsShown = 10;

    public const int MaxWaitSeconds = 300;

    public static RouteGroupBuilder MapJobEndpoints(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/tools/{tool}/jobs").WithTags("Jobs");
        jobs.MapGet("", ListAsync).Produces<List<JobView>>();
        jobs.MapPost("", CreateAsync).Accepts<JobRunRequest>("application/json").Produces<JobView>(StatusCodes.Status201Created).RequireScope(TokenScope.Jobs);
        jobs.MapDelete("", FlushAsync).Produces<List<JobView>>(StatusCodes.Status202Accepted).RequireScope(TokenScope.Jobs);
        jobs.MapGet("/{job}", GetAsync).Produces<JobView>();
        jobs.MapDelete("/{job}", DeleteAsync).Produces<JobView>(StatusCodes.Status202Accepted).RequireScope(TokenScope.Jobs);
        jobs.MapPost("/{job}/restart", RestartAsync).Produces<JobView>().RequireScope(TokenScope.Jobs);
        return api;
    }

    private static async Task<IResult> ListAsync(string tool, HttpContext context, ToolgridDbContext db, IOptions<ServerOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        // A deleted tool has no jobs to list: its jobs were deleted with it, and it says so.
        var found = await ManagedToolAsync(context, db, tool, cancellationToken);
        var live = db.Jobs.Where(j => j.ToolName == found.Name && j.DeletedAt == null);
        var jobs = await live.AsNoTracking().OrderBy(j => j.Name).ToListAsync(cancellationToken);
        var jobIds = jobs.Select(j => j.Id).ToList();

        // Each job's newest run and its active ones: enough to say what it is doing, in reads
        // that do not grow with the jobs' history nor with the active runs of other tools.
        var newest = db.NewestRunIds(live);
        var runs = await db.Runs.AsNoTracking().Where(r => newest.Contains(r.Id))
            .Concat(db.Runs.AsNoTracking().NotEnded().Where(r => jobIds.Contains(r.JobId)))
            .ToListAsync(cancellationToken);
        var byJob = runs.DistinctBy(r => r.Id).ToLookup(r => r.JobId);
        var now = time.GetUtcNow();
        return Results.Ok(jobs.Select(j => Views.Of(j, byJob[j.Id].OrderByDescending(r => r.Id).ToList(), now, options.Value.TimeZone)).ToList());
    }

    private static async Task<IResult> CreateAsync(
        string tool,
        HttpContext context,
        ToolgridDbContext db,
        IOptions<ServerOptions> options,
        SupervisorSignal supervisor,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        var found = await ManagedToolAsync(context, db, tool, cancellationToken);
        var problems = new Problems();
        var request = await StrictJson.ReadAsync<JobRunRequest>(context.Request, problems, cancellationToken);
        var site = await QueueSites.ForAsync(db, options.Value, found.Name, [request.Queue], cancellationToken);
        var now = time.GetUtcNow();
        var job = JobRules.Build(request, found, options.Value.Limits, site, caller.UserName, now, problems);
        problems.ThrowIfAny();

        // One query for both checks: a tool's live jobs are few (its quota).
        var live = await db.Jobs.AsNoTracking().Where(j => j.ToolName == found.Name && j.DeletedAt == null).Select(j => j.Name).ToListAsync(cancellationToken);
        if (live.Contains(job!.Name))
        {
            throw ToolgridException.Conflict(
                "job-exists",
                $"tool '{found.Name}' already has a job named '{job.Name}', and running it again does not change it: change its entry in jobs.yaml and 'toolgrid jobs load' it, or delete it first ('toolgrid jobs delete {job.Name}'), or choose another name.");
        }

        DemandRoomForAJob(found, live.Count, options.Value);

        await FixedPorts.EnsureFreeAsync(db, [job], new HashSet<long>(), cancellationToken);

        db.Jobs.Add(job);
        var runs = QueueFirstRuns(db, job, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (!StoreFailures.IsDiskFull(e))
        {
            throw ToolgridException.Conflict("job-exists", $"a job named '{job.Name}' was created at the same moment.");
        }

        supervisor.Wake();
        return Results.Created($"/api/v1/tools/{found.Name}/jobs/{job.Name}", Views.Of(job, runs, now, options.Value.TimeZone));
    }

    /// <summary>Refuses a new job when the tool has as many as it may.</summary>
    internal static void DemandRoomForAJob(Tool tool, int liveJobs, ServerOptions options)
    {
        var limits = options.Limits.For(tool);
        if (liveJobs >= limits.MaxJobs)
        {
            throw new ToolgridException(
                ErrorKind.QuotaExceeded,
                "quota-exceeded",
                $"tool '{tool.Name}' has {liveJobs} jobs and may have {limits.MaxJobs}. Delete jobs it no longer needs ('toolgrid jobs delete NAME', or 'toolgrid jobs flush' for all), or ask an admin to raise its quota.");
        }
    }

    /// <summary>
    /// Queues a job's runs as it is submitted: a one-off job's run, a continuous job's replicas
    /// (a scheduled job's runs come when due). They are written with the job, in one
    /// SaveChanges, so in one transaction: the answer is sent only once both are durable, so an
    /// accepted job survives a crash of toolgridd at any moment after it, and the answer can
    /// name its runs (the number <c>jsub</c> prints). The controller places them, and keeps a
    /// continuous job's replicas up from then on. (A new job's runs point at it through its
    /// temporary key, which EF Core replaces with the real one as it inserts.)
    /// </summary>
    /// <returns>The runs queued, newest first.</returns>
    internal static IReadOnlyList<Run> QueueFirstRuns(ToolgridDbContext db, Job job, DateTimeOffset now, int lastAttempt = 0)
    {
        var runs = NewRuns.First(job, now, lastAttempt);
        foreach (var run in runs)
        {
            db.Runs.Add(run);
            db.Entry(run).Property(r => r.JobId).CurrentValue = db.Entry(job).Property(j => j.Id).CurrentValue;
        }

        return [.. runs.Reverse()];
    }

    private static async Task<IResult> GetAsync(
        string tool,
        string job,
        bool? wait,
        int? timeout,
        HttpContext context,
        ToolgridDbContext db,
        IOptions<ServerOptions> options,
        RunEvents events,
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var found = await ManagedToolAsync(context, db, tool, cancellationToken, allowDisabled: true);
        var stopping = lifetime.ApplicationStopping;
        var seconds = Math.Clamp(timeout ?? 60, 0, MaxWaitSeconds);
        var deadline = time.GetUtcNow().AddSeconds(seconds);
        while (true)
        {
            // Taken before reading, so that a change between the read and the wait is not missed.
            var changed = events.NextChange;
            var (entity, runs) = await FindJobAsync(db, found, job, cancellationToken);
            var view = Views.Of(entity, runs, time.GetUtcNow(), options.Value.TimeZone);
            // A long poll ends early when toolgridd stops, so that shutdown does not wait for it;
            // the client then asks again.
            if (wait != true || view.Finished || time.GetUtcNow() >= deadline || stopping.IsCancellationRequested)
            {
                return Results.Ok(view);
            }

            // The poll is the fallback for an API and a controller in different processes.
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
            var poll = Task.Delay(TimeSpan.FromSeconds(1), time, either.Token);
            await Task.WhenAny(changed, poll);
            cancellationToken.ThrowIfCancellationRequested();
            db.ChangeTracker.Clear();
        }
    }

    private static async Task<IResult> RestartAsync(
        string tool,
        string job,
        HttpContext context,
        ToolgridDbContext db,
        IOptions<ServerOptions> options,
        SupervisorSignal supervisor,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var found = await ManagedToolAsync(context, db, tool, cancellationToken);
        var (entity, runs) = await FindJobAsync(db, found, job, cancellationToken, liveOnly: true);
        var now = time.GetUtcNow();
        if (entity.Interactive)
        {
            throw ToolgridException.Conflict("interactive-job", $"'{entity.Name}' is an interactive session; start a new one with 'toolgrid jobs shell'.");
        }

        if (entity.Kind == JobKind.Scheduled)
        {
            // Run now, the schedule unchanged.
            // A run set up ahead of its next due time is not going: it is skipped if this one still is then.
            if (entity.Concurrency == ConcurrencyPolicy.Forbid && runs.FirstOrDefault(r => r.IsActive && !r.IsHeld) is { } active)
            {
                throw ToolgridException.Conflict("job-running", $"'{entity.Name}' has a run still going (run {active.Id}, {RunWire.Of(active.State)}) and its concurrency policy is forbid; wait for it, or delete the run's job.");
            }

            var last = runs.Count > 0 ? runs.Max(r => r.Attempt) : 0;
            db.Runs.Add(NewRuns.Of(entity, NewRuns.Attempt(entity.Kind, last), RunReason.Manual, now));
        }
        else
        {
            // New runs for the job as it is: continuous runs are replaced one at a time, a
            // one-off job's run (if any) is stopped and the job runs again.
            entity.Generation++;
            Backoff.Reset(entity);
        }

        entity.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        supervisor.Wake();
        return Results.Ok(Views.Of(entity, await RecentRunsAsync(db, entity.Id, cancellationToken), now, options.Value.TimeZone));
    }

    private static async Task<IResult> DeleteAsync(
        string tool,
        string job,
        HttpContext context,
        ToolgridDbContext db,
        SupervisorSignal supervisor,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var found = await ManagedToolAsync(context, db, tool, cancellationToken);
        var (entity, _) = await FindJobAsync(db, found, job, cancellationToken, liveOnly: true);
        var now = time.GetUtcNow();
        entity.DeletedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        supervisor.Wake();
        return Results.Accepted(value: Views.Of(entity, await RecentRunsAsync(db, entity.Id, cancellationToken), now));
    }

    private static async Task<IResult> FlushAsync(
        string tool,
        HttpContext context,
        ToolgridDbContext db,
        SupervisorSignal supervisor,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var found = await ManagedToolAsync(context, db, tool, cancellationToken);
        var jobs = await db.Jobs.Where(j => j.ToolName == found.Name && j.DeletedAt == null).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var job in jobs)
        {
            job.DeletedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        supervisor.Wake();
        return Results.Json(jobs.Select(j => Views.Of(j, [], now)).ToList(), statusCode: StatusCodes.Status202Accepted);
    }

    internal static async Task<Tool> ManagedToolAsync(HttpContext context, ToolgridDbContext db, string tool, CancellationToken cancellationToken, bool allowDisabled = false)
    {
        var found = await ToolLookup.FindAsync(db, tool, cancellationToken, allowDisabled);
        Access.DemandManage(context.User.ToCaller(), found);
        return found;
    }

    /// <summary>The tool's live job of that name, or else the newest deleted one whose runs are still being stopped.</summary>
    internal static async Task<(Job Job, List<Run> Runs)> FindJobAsync(ToolgridDbContext db, Tool tool, string name, CancellationToken cancellationToken, bool liveOnly = false)
    {
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.ToolName == tool.Name && j.Name == name && j.DeletedAt == null, cancellationToken);
        if (job is null && !liveOnly)
        {
            job = await db.Jobs.Where(j => j.ToolName == tool.Name && j.Name == name).OrderByDescending(j => j.Id).FirstOrDefaultAsync(cancellationToken);
        }

        if (job is null)
        {
            var names = await db.Jobs.Where(j => j.ToolName == tool.Name && j.DeletedAt == null).Select(j => j.Name).ToListAsync(cancellationToken);
            var nearest = NearestNames.Of(name, names);
            var hint = nearest.Count > 0 ? $" Did you mean {string.Join(" or ", nearest.Select(n => $"'{n}'"))}?" : "";
            throw ToolgridException.NotFound("job-not-found", $"tool '{tool.Name}' has no job named '{InputText.Shorten(name)}'.{hint}");
        }

        return (job, await RecentRunsAsync(db, job.Id, cancellationToken));
    }

    internal static Task<List<Run>> RecentRunsAsync(ToolgridDbContext db, long jobId, CancellationToken cancellationToken) =>
        db.Runs.AsNoTracking().Where(r => r.JobId == jobId).OrderByDescending(r => r.Id).Take(RunsShown).ToListAsync(cancellationToken);

    internal static async Task<IReadOnlyCollection<string>> QueuesAsync(ToolgridDbContext db, CancellationToken cancellationToken)
    {
        var served = await db.Nodes.AsNoTracking().Select(n => n.Queues).ToListAsync(cancellationToken);
        var queues = new HashSet<string>(StringComparer.Ordinal) { Queues.Default };
        foreach (var list in served)
        {
            queues.UnionWith(list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return queues;
    }
}
