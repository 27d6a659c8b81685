using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Runs;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Nodes;
using Toolgrid.Core.Tools;
using Toolgrid.Notifications;
using Toolgrid.Server.Identity;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary><c>/api/v1/queues</c>: the queues, who may use them, and the requests for them.</summary>
/// <remarks>
/// Every tool may use <c>default</c>; a dedicated queue only once an admin granted it. A tool's
/// maintainers ask; admins grant, revoke and deny, and each of those mails the tool's maintainers
/// in the same transaction as the change (through the outbox). A tool acting as itself can
/// neither ask nor decide.
/// </remarks>
public static class QueueEndpoints
{
    public static RouteGroupBuilder MapQueueEndpoints(this RouteGroupBuilder api)
    {
        var queues = api.MapGroup("/queues").WithTags("Queues");
        queues.MapGet("", ListAsync).Produces<List<QueueView>>();
        queues.MapGet("/requests", ListRequestsAsync).Produces<List<QueueRequestView>>();
        queues.MapPost("/{queue}/requests", RequestAsync).Accepts<QueueRequestCreate>("application/json").Produces<QueueRequestView>(StatusCodes.Status201Created);
        queues.MapPost("/{queue}/requests/{tool}/deny", DenyAsync).Accepts<QueueDenial>("application/json").Produces<QueueRequestView>();
        queues.MapPut("/{queue}/tools/{tool}", GrantAsync).Produces<QueueGrantView>();
        queues.MapDelete("/{queue}/tools/{tool}", RevokeAsync).Produces<QueueGrantView>();
        return api;
    }

    private static async Task<IResult> ListAsync(ToolgridDbContext db, CancellationToken cancellationToken) =>
        Results.Ok(await ReadAsync(db, cancellationToken));

    /// <summary>Every queue (<c>default</c> first): its nodes, slots used and total, state, and who may use it; what <c>queues list</c> and <c>status</c> show.</summary>
    public static async Task<List<QueueView>> ReadAsync(ToolgridDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var nodes = await db.Nodes.AsNoTracking().OrderBy(n => n.Name).ToListAsync(cancellationToken);
        var grants = await db.QueueGrants.AsNoTracking().ToListAsync(cancellationToken);
        var used = await db.Runs.AsNoTracking()
            .Where(r => r.LaunchQueue != null && (r.State == RunState.Starting || r.State == RunState.Running))
            .GroupBy(r => r.LaunchQueue!)
            .Select(g => new { Queue = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Queue, x => x.Count, StringComparer.Ordinal, cancellationToken);
        var views = QueueServing.Of(nodes, grants.Select(g => g.Queue))
            .Select(q =>
            {
                var every = q.Name == Queues.Default;
                return new QueueView(
                    q.Name,
                    q.Serving.Select(n => n.Name).ToList(),
                    used.GetValueOrDefault(q.Name),
                    q.Usable.Sum(n => n.Slots),
                    q.State,
                    every,
                    every ? [] : grants.Where(g => g.Queue == q.Name).Select(g => g.ToolName).Order(StringComparer.Ordinal).ToList());
            })
            .ToList();
        return views;
    }

    private static async Task<IResult> ListRequestsAsync(HttpContext context, ToolgridDbContext db, CancellationToken cancellationToken)
    {
        Access.DemandAdmin(context.User.ToCaller(), "Reading the requests for queues");
        var open = await db.QueueRequests.AsNoTracking().Where(r => r.State == QueueRequestState.Open).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        return Results.Ok(open.Select(Views.Of).ToList());
    }

    private static async Task<IResult> RequestAsync(string queue, HttpContext context, ToolgridDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        var problems = new Problems();
        var request = await StrictJson.ReadAsync<QueueRequestCreate>(context.Request, problems, cancellationToken);
        ValidateQueue(queue, problems);
        if (string.IsNullOrWhiteSpace(request.Tool))
        {
            problems.Add("tool", "name the tool that needs the queue, e.g. --tool mytool.");
        }

        var reason = ValidateReason(request.Reason, problems, "say what the tool needs the queue for, e.g. --reason \"nightly dumps need the big-memory nodes\".");
        problems.ThrowIfAny();

        var tool = await ToolLookup.FindAsync(db, request.Tool!, cancellationToken);
        Access.DemandMaintainer(caller, tool, "Asking for a queue");
        if (queue == Queues.Default)
        {
            throw new ValidationException("queue", $"every tool may use '{Queues.Default}': there is nothing to ask for.");
        }

        await DemandQueueExistsAsync(db, queue, cancellationToken);
        if (await db.QueueGrants.AnyAsync(g => g.Queue == queue && g.ToolName == tool.Name, cancellationToken))
        {
            throw ToolgridException.Conflict("queue-granted", $"tool '{tool.Name}' may already use queue '{queue}': give --queue {queue} to its jobs.");
        }

        var open = await db.QueueRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Queue == queue && r.ToolName == tool.Name && r.State == QueueRequestState.Open, cancellationToken);
        if (open is not null)
        {
            throw OpenAlready(open);
        }

        var made = new QueueRequest
        {
            Queue = queue,
            ToolName = tool.Name,
            Reason = reason!,
            RequestedBy = caller.UserName,
            RequestedAt = time.GetUtcNow(),
            State = QueueRequestState.Open,
        };
        db.QueueRequests.Add(made);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (!StoreFailures.IsDiskFull(e))
        {
            // The store's unique index on open requests: another was made at the same moment.
            throw ToolgridException.Conflict("queue-request-open", $"tool '{tool.Name}' already has an open request for queue '{queue}', made at the same moment.");
        }

        return Results.Created($"/api/v1/queues/{queue}/requests", Views.Of(made));
    }

    private static async Task<IResult> GrantAsync(string queue, string tool, HttpContext context, ToolgridDbContext db, ToolMails mails, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        Access.DemandAdmin(caller, "Granting a queue");
        var found = await FindDedicatedAsync(db, queue, tool, cancellationToken);
        await DemandQueueExistsAsync(db, queue, cancellationToken);
        var grant = await db.QueueGrants.AsNoTracking().FirstOrDefaultAsync(g => g.Queue == queue && g.ToolName == found.Name, cancellationToken);
        if (grant is not null)
        {
            // Granted already: asking again changes nothing and mails nobody.
            return Results.Ok(Views.Of(grant));
        }

        var now = time.GetUtcNow();
        grant = new QueueGrant { Queue = queue, ToolName = found.Name, GrantedBy = caller.UserName, GrantedAt = now };
        db.QueueGrants.Add(grant);
        var open = await db.QueueRequests.FirstOrDefaultAsync(r => r.Queue == queue && r.ToolName == found.Name && r.State == QueueRequestState.Open, cancellationToken);
        if (open is not null)
        {
            Decide(open, QueueRequestState.Granted, caller, now, null);
        }

        db.Mails.Add(mails.Compose(
            found,
            $"queue {queue} granted",
            $"""
            {caller.UserName} granted tool {found.Name} the queue {queue}.

            Its jobs may now run there: give them --queue {queue} (or `queue: {queue}` in jobs.yaml, or -q {queue} to jsub).
            When no node of {queue} can take work, their new runs go to the default queue until one can.
            """,
            now));
        await db.SaveChangesAsync(cancellationToken);
        return Results.Ok(Views.Of(grant));
    }

    private static async Task<IResult> RevokeAsync(string queue, string tool, HttpContext context, ToolgridDbContext db, ToolMails mails, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        Access.DemandAdmin(caller, "Revoking a queue");
        var found = await FindDedicatedAsync(db, queue, tool, cancellationToken);
        var grant = await db.QueueGrants.FirstOrDefaultAsync(g => g.Queue == queue && g.ToolName == found.Name, cancellationToken)
            ?? throw ToolgridException.NotFound("queue-not-granted", $"tool '{found.Name}' was not granted queue '{queue}' ('toolgrid queues list' shows who was).");

        // Its jobs in the queue ask for default from now on: their next runs go there, and
        // nothing running is stopped.
        var now = time.GetUtcNow();
        var jobs = await db.Jobs.Where(j => j.ToolName == found.Name && j.Queue == queue && j.DeletedAt == null).OrderBy(j => j.Name).ToListAsync(cancellationToken);
        foreach (var job in jobs)
        {
            job.Queue = Queues.Default;
            job.UpdatedAt = now;
        }

        db.QueueGrants.Remove(grant);
        var moved = jobs.Count == 0 ? "" : $"\nIts jobs that asked for {queue} ({string.Join(", ", jobs.Select(j => j.Name))}) now ask for {Queues.Default}; their runs go on, and their next runs start in {Queues.Default}.\n";
        db.Mails.Add(mails.Compose(
            found,
            $"queue {queue} revoked",
            $"""
            {caller.UserName} revoked tool {found.Name}'s use of the queue {queue}.
            {moved}
            To ask for it again: toolgrid queues request {queue} --tool {found.Name} --reason "what the tool needs it for"
            """,
            now));
        await db.SaveChangesAsync(cancellationToken);
        return Results.Ok(Views.Of(grant));
    }

    private static async Task<IResult> DenyAsync(string queue, string tool, HttpContext context, ToolgridDbContext db, ToolMails mails, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        Access.DemandAdmin(caller, "Denying a request for a queue");
        var problems = new Problems();
        var body = await StrictJson.ReadAsync<QueueDenial>(context.Request, problems, cancellationToken);
        var reason = ValidateReason(body.Reason, problems, "say why, for the tool's maintainers, e.g. --reason \"the dedicated nodes are for web services\".");
        problems.ThrowIfAny();
        var found = await FindDedicatedAsync(db, queue, tool, cancellationToken);
        var open = await db.QueueRequests.FirstOrDefaultAsync(r => r.Queue == queue && r.ToolName == found.Name && r.State == QueueRequestState.Open, cancellationToken)
            ?? throw ToolgridException.NotFound("queue-request-not-found", $"tool '{found.Name}' has no open request for queue '{queue}' ('toolgrid queues requests' lists the open ones).");
        var now = time.GetUtcNow();
        Decide(open, QueueRequestState.Denied, caller, now, reason);
        db.Mails.Add(mails.Compose(
            found,
            $"request for queue {queue} denied",
            $"""
            {caller.UserName} denied the request of {open.RequestedBy} for tool {found.Name} to use the queue {queue}.

            Why: {reason}

            The tool's jobs may use the default queue as before.
            """,
            now));
        await db.SaveChangesAsync(cancellationToken);
        return Results.Ok(Views.Of(open));
    }

    private static void Decide(QueueRequest request, QueueRequestState state, Caller caller, DateTimeOffset now, string? answer)
    {
        request.State = state;
        request.DecidedBy = caller.UserName;
        request.DecidedAt = now;
        request.Answer = answer;
    }

    private static ToolgridException OpenAlready(QueueRequest open) =>
        ToolgridException.Conflict(
            "queue-request-open",
            $"tool '{open.ToolName}' already has an open request for queue '{open.Queue}', made by {open.RequestedBy} on {open.RequestedAt:yyyy-MM-dd}; an admin answers it, and the tool's maintainers get a mail.");

    /// <summary>The tool, once the queue is a well-formed dedicated one (admins decide only those).</summary>
    private static async Task<Tool> FindDedicatedAsync(ToolgridDbContext db, string queue, string tool, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        ValidateQueue(queue, problems);
        problems.ThrowIfAny();
        if (queue == Queues.Default)
        {
            throw new ValidationException("queue", $"every tool may use '{Queues.Default}'; it is neither granted nor revoked.");
        }

        return await ToolLookup.FindAsync(db, tool, cancellationToken);
    }

    private static void ValidateQueue(string queue, Problems problems)
    {
        if (!JobRules.IsQueueName(queue))
        {
            problems.Add("queue", $"'{InputText.Shorten(queue)}' is not a queue name: lower-case letters, digits and '-'.");
        }
    }

    private static string? ValidateReason(string? reason, Problems problems, string hint)
    {
        var text = reason?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            problems.Add("reason", $"a reason is required: {hint}");
        }
        else if (text.Length > QueueRequest.MaxReasonLength)
        {
            problems.Add("reason", $"the reason is {text.Length} characters long; at most {QueueRequest.MaxReasonLength} are allowed.");
        }
        else if (text.Any(c => char.IsControl(c) && c != '\n'))
        {
            problems.Add("reason", "the reason holds a control character; write plain text.");
        }

        return text;
    }

    private static async Task DemandQueueExistsAsync(ToolgridDbContext db, string queue, CancellationToken cancellationToken)
    {
        var queues = await JobEndpoints.QueuesAsync(db, cancellationToken);
        if (!queues.Contains(queue))
        {
            throw ToolgridException.NotFound("queue-not-found", $"there is no queue named '{queue}'; the queues are: {string.Join(", ", queues.Order(StringComparer.Ordinal))}.");
        }
    }
}
