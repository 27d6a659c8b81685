using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Runs;
using Toolgrid.Contracts.Validation;
using Toolgrid.Controller;
using Toolgrid.Core;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Tools;
using Toolgrid.Proxy;
using Toolgrid.Proxy.Webservices;
using Toolgrid.Server.Hosting;
using Toolgrid.Server.Identity;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary><c>/api/v1/tools/{tool}/webservice</c>: a tool's web service, the continuous job <c>webservice</c> that the proxy routes to.</summary>
/// <remarks>
/// <para>Like every job, a web service is desired state: the API writes the job and wakes the
/// controller, which keeps <see cref="Job.Replicas"/> runs up, each with a <c>$PORT</c> of its own
/// and an HTTP health check; the proxy sends traffic to those that pass it.</para>
/// <para>The types: <c>generic</c> runs the given command; <c>node</c> runs <c>npm start</c> in
/// <c>~/www/js</c>; <c>python</c> serves <c>~/www/python/app.py</c>'s <c>app</c> (WSGI or ASGI)
/// with the <c>serve-python.py</c> shipped beside toolgridd; <c>static</c> runs nothing: the
/// proxy serves <c>~/public_html</c>, which it does for every tool without a web service.</para>
/// </remarks>
public static class WebserviceEndpoints
{
    /// <summary>Where a node web service runs, relative to the tool's home.</summary>
    public const string NodeDirectory = "www/js";

    /// <summary>Where a Python web service runs, relative to the tool's home.</summary>
    public const string PythonDirectory = "www/python";

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
        IOptions<ProxyOptions> proxy,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var found = await JobEndpoints.ManagedToolAsync(context, db, tool, cancellationToken, allowDisabled: true);
        return Results.Ok(await ViewAsync(db, found, options.Value, proxy.Value, time.GetUtcNow(), cancellationToken));
    }

    private static async Task<IResult> StartAsync(
        string tool,
        HttpContext context,
        ToolgridDbContext db,
        IOptions<ServerOptions> options,
        IOptions<ProxyOptions> proxy,
        SupervisorSignal supervisor,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        var found = await JobEndpoints.ManagedToolAsync(context, db, tool, cancellationToken);
        var problems = new Problems();
        var request = await StrictJson.ReadAsync<WebserviceStartRequest>(context.Request, problems, cancellationToken);
        var type = TypeOf(request, problems);
        var now = time.GetUtcNow();
        var live = await LiveJobAsync(db, found, cancellationToken);

        if (type == WebserviceType.Static)
        {
            foreach (var (field, given) in new[] { ("replicas", request.Replicas is not null), ("mem", request.Mem is not null), ("cpu", request.Cpu is not null), ("healthPath", request.HealthPath is not null), ("allowDotPaths", request.AllowDotPaths == true) })
            {
                if (given)
                {
                    problems.Add(field, $"a static web service runs no process (the proxy serves ~/public_html): {field} has no meaning for it.");
                }
            }

            problems.ThrowIfAny();
            if (live is not null)
            {
                // Static is what the proxy does without a web service: stop the process there was.
                Stop(live, now);
                await db.SaveChangesAsync(cancellationToken);
                supervisor.Wake();
            }

            return Results.Ok(await ViewAsync(db, found, options.Value, proxy.Value, now, cancellationToken));
        }

        var job = Build(request, type, found, options.Value, caller.UserName, now, problems);
        problems.ThrowIfAny();

        if (live is not null && live.Webservice is null)
        {
            throw ToolgridException.Conflict("job-exists", $"tool '{found.Name}' has a job named '{WebserviceStatus.JobName}' that is not its web service; delete it first ('toolgrid jobs delete {WebserviceStatus.JobName}').");
        }

        if (live is not null)
        {
            Update(live, job!, now);
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
        return Results.Ok(await ViewAsync(db, found, options.Value, proxy.Value, now, cancellationToken));
    }

    private static async Task<IResult> StopAsync(
        string tool,
        HttpContext context,
        ToolgridDbContext db,
        IOptions<ServerOptions> options,
        IOptions<ProxyOptions> proxy,
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
        return Results.Ok(await ViewAsync(db, found, options.Value, proxy.Value, now, cancellationToken));
    }

    private static async Task<IResult> RestartAsync(
        string tool,
        HttpContext context,
        ToolgridDbContext db,
        IOptions<ServerOptions> options,
        IOptions<ProxyOptions> proxy,
        SupervisorSignal supervisor,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var found = await JobEndpoints.ManagedToolAsync(context, db, tool, cancellationToken);
        var live = await LiveWebserviceAsync(db, found, cancellationToken);
        var now = time.GetUtcNow();

        // New runs of the job as it is, replaced one at a time by the controller.
        live.Generation++;
        Core.Supervision.Backoff.Reset(live);
        live.UpdatedAt = now;
        live.Version++;
        await db.SaveChangesAsync(cancellationToken);
        supervisor.Wake();
        return Results.Ok(await ViewAsync(db, found, options.Value, proxy.Value, now, cancellationToken));
    }

    /// <summary>The type asked for: the one named, else generic with a command and static without.</summary>
    private static WebserviceType TypeOf(WebserviceStartRequest request, Problems problems)
    {
        if (request.Type is null)
        {
            return string.IsNullOrWhiteSpace(request.Command) ? WebserviceType.Static : WebserviceType.Generic;
        }

        if (!Wire.TryParse(request.Type, out WebserviceType type))
        {
            problems.Add("type", $"'{InputText.Shorten(request.Type)}' is not a type of web service: use generic, node, python or static.");
            return WebserviceType.Generic;
        }

        return type;
    }

    /// <summary>The job for a web service of <paramref name="type"/>, checked by the rules every job is checked by.</summary>
    private static Job? Build(WebserviceStartRequest request, WebserviceType type, Tool tool, ServerOptions options, string createdBy, DateTimeOffset now, Problems problems)
    {
        string? command = request.Command;
        string? directory = null;
        switch (type)
        {
            case WebserviceType.Generic when string.IsNullOrWhiteSpace(command):
                problems.Add("command", "a generic web service needs the command that serves on $PORT, e.g. toolgrid webservice start -- ./serve --port '$PORT'.");
                break;
            case WebserviceType.Node or WebserviceType.Python when command is not null:
                problems.Add("command", $"a {Wire.Of(type)} web service runs {(type == WebserviceType.Node ? "'npm start' in ~/" + NodeDirectory : "~/" + PythonDirectory + "/app.py")}; give no command (or use --type generic).");
                break;
            case WebserviceType.Node:
                directory = NodeDirectory;
                command = "exec npm start";
                RequireFile(tool, NodeDirectory, "package.json", "a node web service runs 'npm start' there: put the app's package.json (with a start script) in it", problems);
                break;
            case WebserviceType.Python:
                directory = PythonDirectory;
                command = PythonCommand(Path.Combine(AppContext.BaseDirectory, "webservice", "serve-python.py"));
                RequireFile(tool, PythonDirectory, "app.py", "a python web service serves the WSGI or ASGI callable 'app' defined there", problems);
                break;
        }

        var jobRequest = new JobRunRequest
        {
            Name = WebserviceStatus.JobName,
            Command = command ?? "",
            Mem = request.Mem,
            Cpu = request.Cpu,
            Continuous = true,
            Replicas = request.Replicas,
            Port = 0,
            HealthCheckHttp = request.HealthPath ?? "/",
            WorkingDirectory = directory,
        };
        var found = new Problems();
        var job = JobRules.Build(jobRequest, tool, options.Limits, new JobSite([Queues.Default], options.TimeZone), createdBy, now, found);

        // Say it in the request's words: its health path is the job's HTTP health check.
        problems.AddRange(found.Select(p => p.Field == "healthCheckHttp" ? new Problem("healthPath", p.Message) : p));
        if (job is not null)
        {
            job.Webservice = type;
            job.AllowDotPaths = request.AllowDotPaths == true;
        }

        return job;
    }

    /// <summary>The command of a Python web service: the venv's interpreter when there is one. The script's path is quoted for the shell.</summary>
    private static string PythonCommand(string script)
    {
        var quoted = "'" + script.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        return $"if [ -x venv/bin/python3 ]; then exec venv/bin/python3 {quoted}; else exec python3 {quoted}; fi";
    }

    private static void RequireFile(Tool tool, string directory, string file, string why, Problems problems)
    {
        if (!File.Exists(Path.Combine(tool.Home, directory, file)))
        {
            problems.Add("type", $"~/{directory}/{file} does not exist: {why}.");
        }
    }

    /// <summary>Makes the live job what <paramref name="next"/> says; new runs only when what a run starts with changed.</summary>
    private static void Update(Job live, Job next, DateTimeOffset now)
    {
        var renew = JobRules.NeedsNewRuns(live, next) || live.Webservice != next.Webservice;
        live.Command = next.Command;
        live.MemoryBytes = next.MemoryBytes;
        live.CpuMillis = next.CpuMillis;
        live.Replicas = next.Replicas;
        live.UsesPort = next.UsesPort;
        live.FixedPort = next.FixedPort;
        live.HealthCheckScript = next.HealthCheckScript;
        live.HealthCheckHttpPath = next.HealthCheckHttpPath;
        live.WorkingDirectory = next.WorkingDirectory;
        live.Webservice = next.Webservice;

        // The proxy reads it for each request: no new runs.
        live.AllowDotPaths = next.AllowDotPaths;
        if (renew)
        {
            live.Generation++;
            Core.Supervision.Backoff.Reset(live);
        }

        live.UpdatedAt = now;
        live.Version++;
    }

    private static void Stop(Job live, DateTimeOffset now)
    {
        live.DeletedAt = now;
        live.UpdatedAt = now;
        live.Version++;
    }

    /// <summary>The tool's live job named <c>webservice</c>, whatever it is.</summary>
    private static Task<Job?> LiveJobAsync(ToolgridDbContext db, Tool tool, CancellationToken cancellationToken) =>
        db.Jobs.FirstOrDefaultAsync(j => j.ToolName == tool.Name && j.Name == WebserviceStatus.JobName && j.DeletedAt == null, cancellationToken);

    private static async Task<Job> LiveWebserviceAsync(ToolgridDbContext db, Tool tool, CancellationToken cancellationToken) =>
        await LiveJobAsync(db, tool, cancellationToken) is { Webservice: not null } live
            ? live
            : throw ToolgridException.NotFound("webservice-not-found", $"tool '{tool.Name}' has no web service; start one with 'toolgrid webservice start'.");

    /// <summary>What the tool's web service is doing: its live job (or the one being stopped) and its runs, as the proxy sees them.</summary>
    internal static async Task<WebserviceView> ViewAsync(ToolgridDbContext db, Tool tool, ServerOptions options, ProxyOptions proxy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var urls = WebserviceUrls.For(tool.Name, proxy);
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
