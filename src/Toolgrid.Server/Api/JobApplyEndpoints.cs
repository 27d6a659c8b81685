using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;
using Toolgrid.Controller;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Webservices;
using Toolgrid.Server.Identity;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary><c>POST /api/v1/tools/{tool}/jobs/apply</c>: make a tool's jobs match a list (<c>toolgrid jobs load</c>).</summary>
/// <remarks>
/// Every entry is validated before anything changes, and the changes are made in one
/// transaction: a bad entry, a quota the whole list would exceed, or a crash halfway changes
/// nothing. A dry run takes every decision the real run takes and stops before writing. A job whose declaration
/// changed is updated in place (its history kept); when what its runs were started with
/// changed, it gets a new generation, and the controller replaces its runs one at a time.
/// The tool's web service and interactive sessions are not jobs of the list and are left alone.
/// </remarks>
public static class JobApplyEndpoints
{
    public const int MaxEntries = 1000;

    public static RouteGroupBuilder MapJobApplyEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/tools/{tool}/jobs/apply", ApplyAsync).WithTags("Jobs")
            .Accepts<JobsApplyRequest>("application/json")
            .Produces<JobsApplyResult>()
            .RequireScope(TokenScope.Jobs);
        return api;
    }

    private static async Task<IResult> ApplyAsync(
        string tool,
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
        var request = await StrictJson.ReadAsync<JobsApplyRequest>(context.Request, problems, cancellationToken);
        problems.ThrowIfAny();

        var entries = request.Jobs ?? [];
        if (entries.Count > MaxEntries)
        {
            throw new ValidationException("jobs", $"the list has {entries.Count} jobs; at most {MaxEntries} are allowed.");
        }

        var now = time.GetUtcNow();
        var site = await QueueSites.ForAsync(db, options.Value, found.Name, entries.Select(e => e.Queue), cancellationToken);
        var declared = new List<Job>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var label = entry.Name is { Length: > 0 } n ? $"jobs[{i}] ({InputText.Shorten(n)})" : $"jobs[{i}]";
            var own = new Problems();
            if (entry.Name is { } name && !names.Add(name))
            {
                own.Add("name", $"'{name}' appears more than once in the list.");
            }

            WebserviceRules.RefuseAsJobName(entry.Name, own, "name");

            if (JobRules.Build(entry, found, options.Value.Limits, site, caller.UserName, now, own) is { } job && own.IsEmpty)
            {
                declared.Add(job);
            }

            foreach (var problem in own)
            {
                problems.Add($"{label}.{problem.Field}", problem.Message);
            }
        }

        if (request.Only is { } only && !names.Contains(only))
        {
            problems.Add("only", $"the list has no job named '{InputText.Shorten(only)}'.");
        }

        problems.ThrowIfAny();

        // What is read and what is written are one transaction: the quota is counted against the
        // jobs as they are when the list is written, and a crash halfway writes nothing. (SQLite
        // takes its write lock at the start, so concurrent applies and submissions wait in turn.)
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var live = await db.Jobs.Where(j => j.ToolName == found.Name && j.DeletedAt == null).ToListAsync(cancellationToken);
        var liveByName = live.ToDictionary(j => j.Name, StringComparer.Ordinal);
        var plan = new List<JobPlanStep>();
        var adds = new List<Job>();
        var replaces = new List<(Job Old, Job Next)>();
        foreach (var job in declared.Where(j => request.Only is null || j.Name == request.Only))
        {
            if (!liveByName.TryGetValue(job.Name, out var old))
            {
                adds.Add(job);
                plan.Add(new JobPlanStep(job.Name, "add", []));
                continue;
            }

            var changes = JobDiff.Between(old, job);
            plan.Add(new JobPlanStep(job.Name, changes.Count == 0 ? "unchanged" : "replace", changes));
            if (changes.Count > 0)
            {
                replaces.Add((old, job));
            }
        }

        var deletes = request.Only is not null || request.KeepOthers == true
            ? []
            : live.Where(j => !names.Contains(j.Name) && j.Webservice is null && !j.Interactive).OrderBy(j => j.Name, StringComparer.Ordinal).ToList();
        plan.AddRange(deletes.Select(j => new JobPlanStep(j.Name, "delete", [])));

        var limits = options.Value.Limits.For(found);
        var after = live.Count + adds.Count - deletes.Count;
        if (adds.Count > 0 && after > limits.MaxJobs)
        {
            throw new ToolgridException(
                ErrorKind.QuotaExceeded,
                "quota-exceeded",
                $"tool '{found.Name}' would have {after} jobs and may have {limits.MaxJobs}; nothing was changed. Drop jobs from the list (or delete jobs the tool no longer needs), or ask an admin to raise the quota.");
        }

        await FixedPorts.EnsureFreeAsync(db, [.. adds, .. replaces.Select(r => r.Next)], deletes.Select(j => j.Id).ToHashSet(), cancellationToken);
        if (request.DryRun == true)
        {
            return Results.Ok(new JobsApplyResult(false, plan, []));
        }

        foreach (var job in adds)
        {
            db.Jobs.Add(job);
            if (job.Kind == JobKind.OneOff)
            {
                JobEndpoints.QueueFirstRuns(db, job, now);
            }
        }

        foreach (var (old, next) in replaces)
        {
            JobDiff.Apply(old, next, now);
        }

        foreach (var job in deletes)
        {
            job.DeletedAt = now;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (!StoreFailures.IsDiskFull(e))
        {
            throw new ToolgridException(ErrorKind.Conflict, "jobs-changed", "the tool's jobs changed while the list was applied; nothing was changed. Load the file again.", e);
        }

        supervisor.Wake();
        return Results.Ok(new JobsApplyResult(true, plan, []));
    }
}
