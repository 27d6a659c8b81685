using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Runs;
using Toolgrid.Contracts.Validation;
using Toolgrid.Controller;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Tools;
using Toolgrid.Core.Webservices;
using Toolgrid.Server.Identity;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary><c>/api/v1/tools/{tool}/webservice</c>: a tool's web service, the continuous job <c>webservice</c> that the proxy routes to.</summary>
/// <remarks>
/// <para>Like every job, a web service is desired state: the API writes the job and wakes the
/// controller, which keeps <see cref="Job.Replicas"/> runs up, each with a <c>$PORT</c> of its own
/// and an HTTP health check; the proxy sends traffic to those that pass it.</para>
/// <para>What a valid web service is, and what each type runs: <see cref="WebserviceRules"/>.</para>
/// </remarks>
public static class WebserviceEndpoints
{
    public static RouteGroupBuilder MapWebserviceEndpoints(this RouteGroupBuilder api)
    {
        var webservice = api.MapGroup("/tools/{tool}/webservice").WithTags("Web services");
        webservice.MapGet("", GetAsync).Produces<WebserviceView>();
        webservice.MapPost("", StartAsync).Accepts<WebserviceStartRequest>("application/json").Produces<WebserviceView>().RequireScope(TokenScope.Jobs);
        webservice.MapDelete("", StopAsync).Produces<WebserviceView>().RequireScope(TokenScope.Jobs);
        webservice.MapPost("/restart", RestartAsync).Produces<WebserviceView>().RequireScope(TokenScope.Jobs);
        return api;
    }

    private static async Task<IResult> GetAsync(
        string tool,
        HttpContext context,
        ToolgridDbContext db,
        IOptions<ServerOptions> options,
        WebserviceAddress address,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var found = await JobEndpoints.ManagedToolAsync(context, db, tool, cancellationToken, allowDisabled: true);
        return Results.Ok(await ViewAsync(db, found, options.Value, address, time.GetUtcNow(), cancellationToken));
    }

    private static async Task<IResult> StartAsync(
        string tool,
        HttpContext context,
        ToolgridDbContext db,
        IOptions<ServerOptions> options,
        WebserviceAddress address,
        SupervisorSignal supervisor,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        var found = await JobEndpoints.ManagedToolAsync(context, db, tool, cancellationToken);
        var problems = new Problems();
        var request = await StrictJson.ReadAsync<WebserviceStartRequest>(context.Request, problems, cancellationToken);
        var type = WebserviceRules.TypeOf(request, problems);
        var now = time.GetUtcNow();
        var live = await LiveJobAsync(db, found, cancellationToken);

        if (type == WebserviceType.Static)
        {
            WebserviceRules.CheckStatic(request, problems);
            problems.ThrowIfAny();
            if (live is not null)
            {
                // Static is what the proxy does without a web service: stop the process there was.
                Stop(live, now);
                await db.SaveChangesAsync(cancellationToken);
                supervisor.Wake();
            }

            return Results.Ok(await ViewAsync(db, found, options.Value, address, now, cancellationToken));
        }

        var job = WebserviceRules.Build(request, type, found, options.Value.Limits, options.Value.SiteOf([Queues.Default]), caller.UserName, now, problems);
        problems.ThrowIfAny();

        if (live is not null && live.Webservice is null)
        {
            throw ToolgridException.Conflict("job-exists", $"tool '{found.Name}' has a job named '{WebserviceStatus.JobName}' that is not its web service; delete it first ('toolgrid jobs delete {WebserviceStatus.JobName}').");
        }

        if (live is not null)
        {
            JobDiff.Apply(live, job!, now);
        }
        else
        {
            var count = await db.Jobs.CountAsync(j => j.ToolName == found.Name && j.DeletedAt == null, cancellationToken);
            var limits = options.Value.Limits.For(found);
            if (count >= limits.MaxJobs)
            {
                throw new ToolgridException(
                    ErrorKind.QuotaExceeded,
                    "quota-exceeded",
                    $"tool '{found.Name}' has {count} jobs and may have {limits.MaxJobs}; its web service would be one more. Delete jobs it no longer needs ('toolgrid jobs delete NAME'), or ask an admin to raise its quota.");
            }

            // The controller starts the replicas of a continuous job: the API only writes it.
            db.Jobs.Add(job!);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (!StoreFailures.IsDiskFull(e))
        {
            throw ToolgridException.Conflict("job-exists", $"the web service of '{found.Name}' was changed at the same moment; try again.");
        }

        supervisor.Wake();
        return Results.Ok(await ViewAsync(db, found, options.Value, address, now, cancellationToken));
    }

    private static async Task<IResult> StopAsync(
        string tool,
        HttpContext context,
        ToolgridDbContext db,
        IOptions<ServerOptions> options,
        WebserviceAddress address,
        SupervisorSignal supervisor,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var found = await JobEndpoints.ManagedToolAsync(context, db, tool, cancellationToken);
        var live = await LiveWebserviceAsync(db, found, cancellationToken);
        var now = time.GetUtcNow();
        Stop(live, now);
        await db.SaveChangesAsync(cancellationToken);
        supervisor.Wake();
        return Results.Ok(await ViewAsync(db, found, options.Value, address, now, cancellationToken));
    }

    private static async Task<IResult> RestartAsync(
        string tool,
        HttpContext context,
        ToolgridDbContext db,
        IOptions<ServerOptions> options,
        WebserviceAddress address,
        SupervisorSignal supervisor,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var found = await JobEndpoints.ManagedToolAsync(context, db, tool, cancellationToken);
        var live = await LiveWebserviceAsync(db, found, cancellationToken);
        var now = time.GetUtcNow();

        // New runs of the job as it is, replaced one at a time by the controller.
        live.Generation++;
        Backoff.Reset(live);
        live.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        supervisor.Wake();
        return Results.Ok(await ViewAsync(db, found, options.Value, address, now, cancellationToken));
    }

    private static void Stop(Job live, DateTimeOffset now)
    {
        live.DeletedAt = now;
        live.UpdatedAt = now;
    }

    /// <summary>The tool's live job named <c>webservice</c>, whatever it is.</summary>
    private static Task<Job?> LiveJobAsync(ToolgridDbContext db, Tool tool, CancellationToken cancellationToken) =>
        db.Jobs.FirstOrDefaultAsync(j => j.ToolName == tool.Name && j.Name == WebserviceStatus.JobName && j.DeletedAt == null, cancellationToken);

    private static async Task<Job> LiveWebserviceAsync(ToolgridDbContext db, Tool tool, CancellationToken cancellationToken) =>
        await LiveJobAsync(db, tool, cancellationToken) is { Webservice: not null } live
            ? live
            : throw ToolgridException.NotFound("webservice-not-found", $"tool '{tool.Name}' has no web service; start one with 'toolgrid webservice start'.");

    /// <summary>What the tool's web service is doing: its live job (or the one being stopped) and its runs, as the proxy sees them.</summary>
    internal static async Task<WebserviceView> ViewAsync(ToolgridDbContext db, Tool tool, ServerOptions options, WebserviceAddress address, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var urls = address.UrlsOf(tool.Name);
        var job = await db.Jobs.AsNoTracking()
            .Where(j => j.ToolName == tool.Name && j.Name == WebserviceStatus.JobName && j.Webservice != null)
            .OrderBy(j => j.DeletedAt != null)
            .ThenByDescending(j => j.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var runs = job is null ? [] : await db.Runs.AsNoTracking().Where(r => r.JobId == job.Id).OrderByDescending(r => r.Id).Take(JobEndpoints.RunsShown).ToListAsync(cancellationToken);
        var active = job is null ? [] : await db.Runs.AsNoTracking()
            .Where(r => r.JobId == job.Id && (r.State == RunState.Queued || r.State == RunState.Starting || r.State == RunState.Running))
            .ToListAsync(cancellationToken);

        // A stopped web service whose runs have all ended is as good as none.
        if (job is null || (job.DeletedAt is not null && active.Count == 0))
        {
            var summary = WebserviceStatus.WithoutJob(WebserviceStatus.HasPublicHtml(tool.Home));
            return new WebserviceView(tool.Name, summary.Type, summary.State, summary.Status, urls, 0, 0, null);
        }

        var nodes = await db.Nodes.AsNoTracking().Select(n => new { n.Name, n.State }).ToDictionaryAsync(n => n.Name, n => n.State, StringComparer.Ordinal, cancellationToken);
        var ended = runs.FirstOrDefault(r => r.IsTerminal);
        var described = WebserviceStatus.Describe(job, active, ended, nodes, now);
        return new WebserviceView(tool.Name, described.Type, described.State, described.Status, urls, described.Replicas, described.Ready, Views.Of(job, runs, now, options.TimeZone), described.Warning, job.AllowDotPaths);
    }
}
