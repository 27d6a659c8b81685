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
using Toolgrid.Core.Webservices;
using Toolgrid.Server.Identity;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary>
/// Runs one at a time, as the grid-era commands work: <c>POST /api/v1/tools/{tool}/jobs/{job}/runs</c>
/// submits a job by name (<c>jsub</c>, <c>jstart</c>, <c>qcronsub</c>; see <see cref="JobSubmission"/>),
/// <c>DELETE /api/v1/tools/{tool}/runs/{run}</c> stops one run (<c>qdel ID</c>).
/// </summary>
/// <remarks>
/// A submission writes the runs it queues in the same transaction as the job, so its answer
/// names them: the number <c>jsub</c> prints is the run's, which <c>qstat</c>, <c>qdel</c> and
/// <c>job</c> take. As everywhere in the API, nothing is started or stopped here: the controller
/// does that from what is recorded.
/// </remarks>
public static class RunEndpoints
{
    public static RouteGroupBuilder MapRunEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/tools/{tool}/jobs/{job}/runs", SubmitAsync).WithTags("Jobs")
            .Accepts<JobSubmitRequest>("application/json")
            .Produces<JobView>()
            .Produces<JobView>(StatusCodes.Status201Created)
            .RequireScope(TokenScope.Jobs);
        api.MapDelete("/tools/{tool}/runs/{run:long}", StopAsync).WithTags("Jobs").Produces<JobView>(StatusCodes.Status202Accepted)
            .RequireScope(TokenScope.Jobs);
        return api;
    }

    private static async Task<IResult> SubmitAsync(
        string tool,
        string job,
        HttpContext context,
        ToolgridDbContext db,
        IOptions<ServerOptions> options,
        SupervisorSignal supervisor,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        var found = await JobEndpoints.ManagedToolAsync(context, db, tool, cancellationToken);
        var problems = new Problems();
        var request = await StrictJson.ReadAsync<JobSubmitRequest>(context.Request, problems, cancellationToken);
        var given = request.Job ?? new JobRunRequest();
        if (given.Name is { } named && named != job)
        {
            problems.Add("job.name", $"the job is '{InputText.Shorten(job)}' (in the path), and the body names '{InputText.Shorten(named)}'; give one name.");
        }

        WebserviceRules.RefuseAsJobName(job, problems, "job.name");

        var now = time.GetUtcNow();
        var site = await QueueSites.ForAsync(db, options.Value, found.Name, [given.Queue], cancellationToken);
        var own = new Problems();
        var declared = JobRules.Build(given with { Name = job }, found, options.Value.Limits, site, caller.UserName, now, own);
        problems.AddRange(own.Select(p => new Problem("job." + p.Field, p.Message)));
        problems.ThrowIfAny();

        // The decision and what it writes are one transaction: two submissions at once are
        // decided one after the other (SQLite takes its write lock at the start).
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.Jobs.FirstOrDefaultAsync(j => j.ToolName == found.Name && j.Name == job && j.DeletedAt == null, cancellationToken);
        var recent = existing is null ? [] : await JobEndpoints.RecentRunsAsync(db, existing.Id, cancellationToken);
        var active = existing is null
            ? []
            : await db.Runs.AsNoTracking().Where(r => r.JobId == existing.Id && (r.State == RunState.Queued || r.State == RunState.Starting || r.State == RunState.Running)).ToListAsync(cancellationToken);
        var decision = JobSubmission.Decide(existing, declared!, active, recent.FirstOrDefault(), request.Once == true);
        if (decision.Step is SubmissionStep.Create or SubmissionStep.Replace)
        {
            await FixedPorts.EnsureFreeAsync(db, [declared!], new HashSet<long>(), cancellationToken);
        }

        Job submitted;
        switch (decision.Step)
        {
            case SubmissionStep.Refuse:
                throw ToolgridException.Conflict(decision.ErrorCode!, decision.Refusal!);
            case SubmissionStep.Create:
                var live = await db.Jobs.CountAsync(j => j.ToolName == found.Name && j.DeletedAt == null, cancellationToken);
                JobEndpoints.DemandRoomForAJob(found, live, options.Value);
                submitted = declared!;
                db.Jobs.Add(submitted);
                JobEndpoints.QueueFirstRuns(db, submitted, now);
                break;
            default:
                submitted = existing!;
                if (decision.Step == SubmissionStep.Replace)
                {
                    JobDiff.Apply(submitted, declared!, now);
                }
                else if (submitted.Kind == JobKind.Continuous)
                {
                    // Run again after it was done: a fresh start, not a crash loop's next try.
                    Backoff.Reset(submitted);
                    submitted.UpdatedAt = now;
                }

                var lastAttempt = recent.Count > 0 ? recent.Max(r => r.Attempt) : 0;
                JobEndpoints.QueueFirstRuns(db, submitted, now, lastAttempt);
                break;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e)
        {
            throw new ToolgridException(ErrorKind.Conflict, "job-changed", $"job '{job}' changed while it was submitted; nothing was changed. Submit it again.", e);
        }

        supervisor.Wake();
        var view = Views.Of(submitted, await JobEndpoints.RecentRunsAsync(db, submitted.Id, cancellationToken), now, options.Value.TimeZone);
        return decision.Step == SubmissionStep.Create
            ? Results.Created($"/api/v1/tools/{found.Name}/jobs/{submitted.Name}", view)
            : Results.Ok(view);
    }

    private static async Task<IResult> StopAsync(
        string tool,
        long run,
        HttpContext context,
        ToolgridDbContext db,
        IOptions<ServerOptions> options,
        SupervisorSignal supervisor,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var found = await JobEndpoints.ManagedToolAsync(context, db, tool, cancellationToken);
        var stopping = await db.Runs.FirstOrDefaultAsync(r => r.Id == run && r.ToolName == found.Name, cancellationToken)
            ?? throw ToolgridException.NotFound("run-not-found", $"tool '{found.Name}' has no run {run}.");
        var job = await db.Jobs.FirstAsync(j => j.Id == stopping.JobId, cancellationToken);
        if (stopping.IsTerminal)
        {
            throw ToolgridException.Conflict("run-ended", $"run {run} of job '{job.Name}' has already ended ({RunWire.Of(stopping.State)}).");
        }

        if (job.Kind == JobKind.Continuous)
        {
            throw ToolgridException.Conflict(
                "run-of-continuous-job",
                $"run {run} is a run of the continuous job '{job.Name}', which the platform keeps up: stopped alone, it would be started again. Stop the job instead: 'toolgrid jobs delete {job.Name}' (or jstop {job.Name}).");
        }

        var now = time.GetUtcNow();
        if (stopping.State == RunState.Queued)
        {
            // Not started: it ends here, as the controller would end it.
            RunTransitions.RequestStop(stopping, RunReason.Stopped, now);
        }
        else if (stopping.StopReason is null)
        {
            // Started (or being started): the wish is recorded, and the controller asks its backend.
            stopping.StopReason = RunReason.Stopped;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException e)
        {
            throw new ToolgridException(ErrorKind.Conflict, "run-changed", $"run {run} changed while it was being stopped (it may have started or ended); ask again.", e);
        }

        supervisor.Wake();
        return Results.Accepted(value: Views.Of(job, await JobEndpoints.RecentRunsAsync(db, job.Id, cancellationToken), now, options.Value.TimeZone));
    }
}
