using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Nodes;
using Toolgrid.Server.Identity;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary><c>/api/v1/nodes</c>: the execution nodes; admins drain and resume them.</summary>
/// <remarks>
/// A drain is desired state, like a job: the API records it and the controller applies it (the
/// engine's own drain, then the moves of continuous jobs, <see cref="Core.Supervision.DrainMoves"/>).
/// Each change is one conditional update, so two admins draining one node at once get one drain
/// and one clear refusal.
/// </remarks>
public static class NodeEndpoints
{
    public static RouteGroupBuilder MapNodeEndpoints(this RouteGroupBuilder api)
    {
        var nodes = api.MapGroup("/nodes").WithTags("Nodes");
        nodes.MapGet("", ListAsync).Produces<List<NodeEntryView>>();
        nodes.MapPost("/{node}/drain", DrainAsync).Accepts<NodeDrainRequest>("application/json").Produces<NodeEntryView>();
        nodes.MapPost("/{node}/resume", ResumeAsync).Produces<NodeEntryView>();
        return api;
    }

    private static async Task<IResult> ListAsync(ToolgridDbContext db, CancellationToken cancellationToken) =>
        Results.Ok(await NodeReader.ReadAsync(db, cancellationToken));

    private static async Task<IResult> DrainAsync(string node, HttpContext context, ToolgridDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        Access.DemandAdmin(caller, $"Draining node '{InputText.Shorten(node)}'");
        var problems = new Problems();
        var request = await StrictJson.ReadAsync<NodeDrainRequest>(context.Request, problems, cancellationToken);
        var reason = problems.Has("reason") ? null : DrainReasons.Validate(request.Reason, problems);
        problems.ThrowIfAny();

        var found = await FindAsync(db, node, cancellationToken);
        var changed = await db.Nodes
            .Where(n => n.Name == found.Name && n.DrainedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(n => n.DrainReason, reason)
                .SetProperty(n => n.DrainedAt, time.GetUtcNow())
                .SetProperty(n => n.DrainedBy, caller.UserName), cancellationToken);
        if (changed == 0)
        {
            var drained = await FindAsync(db, node, cancellationToken);
            throw ToolgridException.Conflict(
                "node-already-drained",
                $"node '{drained.Name}' is already drained (by {drained.DrainedBy}: {drained.DrainReason}); nothing changed. To change the reason, 'toolgrid nodes resume {drained.Name}' then drain it again.");
        }

        return Results.Ok(await ViewAsync(db, found.Name, cancellationToken));
    }

    private static async Task<IResult> ResumeAsync(string node, HttpContext context, ToolgridDbContext db, CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        Access.DemandAdmin(caller, $"Resuming node '{InputText.Shorten(node)}'");
        var found = await FindAsync(db, node, cancellationToken);
        var changed = await db.Nodes
            .Where(n => n.Name == found.Name && n.DrainedAt != null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(n => n.DrainReason, (string?)null)
                .SetProperty(n => n.DrainedAt, (DateTimeOffset?)null)
                .SetProperty(n => n.DrainedBy, (string?)null), cancellationToken);
        if (changed == 0)
        {
            var outside = found.State == NodeState.Draining
                ? " Its backend's engine has it drained, but not through Toolgrid: undo that with the engine's own tools (qmod -e, scontrol update State=RESUME)."
                : string.Empty;
            throw ToolgridException.Conflict("node-not-drained", $"node '{found.Name}' is not drained; nothing changed.{outside}");
        }

        return Results.Ok(await ViewAsync(db, found.Name, cancellationToken));
    }

    private static async Task<Node> FindAsync(ToolgridDbContext db, string node, CancellationToken cancellationToken) =>
        await db.Nodes.AsNoTracking().FirstOrDefaultAsync(n => n.Name == node, cancellationToken)
        ?? throw ToolgridException.NotFound(
            "node-not-found",
            $"there is no node '{InputText.Shorten(node)}'. 'toolgrid nodes list' lists the nodes (names are case-sensitive).");

    private static async Task<NodeEntryView> ViewAsync(ToolgridDbContext db, string name, CancellationToken cancellationToken) =>
        (await NodeReader.ReadAsync(db, cancellationToken)).First(n => n.Name == name);
}
