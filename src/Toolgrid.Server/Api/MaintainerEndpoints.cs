using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Accounts;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Tools;
using Toolgrid.Server.Identity;
using Toolgrid.Server.Tools;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary><c>/api/v1/tools/{tool}/maintainers</c>: who maintains a tool.</summary>
public static class MaintainerEndpoints
{
    public static RouteGroupBuilder MapMaintainerEndpoints(this RouteGroupBuilder api)
    {
        var maintainers = api.MapGroup("/tools/{tool}/maintainers").WithTags("Maintainers");
        maintainers.MapGet("", ListAsync).Produces<List<MaintainerView>>();
        maintainers.MapPut("/{user}", AddAsync).Produces<List<MaintainerView>>();
        maintainers.MapDelete("/{user}", RemoveAsync).Produces<List<MaintainerView>>();
        return api;
    }

    private static async Task<IResult> ListAsync(string tool, ToolgridDbContext db, CancellationToken cancellationToken)
    {
        var found = await ToolLookup.FindAsync(db, tool, cancellationToken, allowDisabled: true);
        return Results.Ok(List(found));
    }

    private static async Task<IResult> AddAsync(
        string tool,
        string user,
        HttpContext context,
        ToolgridDbContext db,
        IToolAccounts accounts,
        BecomeRulesSync becomeRules,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        var problems = new Problems();
        UserName.Validate(user, problems, "user");
        problems.ThrowIfAny();
        var found = await ToolLookup.FindAsync(db, tool, cancellationToken);
        Access.DemandManage(caller, found);
        Access.DemandPerson(caller, "Adding a maintainer");
        if (found.Maintainers.Any(m => m.UserName == user))
        {
            return Results.Ok(List(found));
        }

        if (accounts.WhyNotAMaintainer(user) is { } why)
        {
            throw why.NoSuchUser
                ? ToolgridException.NotFound("user-not-found", why.Reason)
                : new ToolgridException(ErrorKind.Invalid, "not-a-person", why.Reason);
        }

        // Group membership first: asking again repairs a crash in between.
        await accounts.AddMaintainerAsync(found.Name, user, cancellationToken);
        found.Maintainers.Add(new Maintainer { ToolName = found.Name, UserName = user, AddedAt = time.GetUtcNow(), AddedBy = caller.UserName });
        await db.SaveChangesAsync(cancellationToken);

        // The accounts gave them the rule of 'become'; a whole sync puts right one that failed.
        await becomeRules.SyncAsync(cancellationToken);
        return Results.Ok(List(found));
    }

    private static async Task<IResult> RemoveAsync(
        string tool,
        string user,
        HttpContext context,
        ToolgridDbContext db,
        IToolAccounts accounts,
        BecomeRulesSync becomeRules,
        CancellationToken cancellationToken)
    {
        var found = await ToolLookup.FindAsync(db, tool, cancellationToken);
        var caller = context.User.ToCaller();
        Access.DemandManage(caller, found);
        Access.DemandPerson(caller, "Removing a maintainer");
        var maintainer = found.Maintainers.FirstOrDefault(m => m.UserName == user)
            ?? throw ToolgridException.NotFound("maintainer-not-found", $"'{InputText.Shorten(user)}' is not a maintainer of '{found.Name}'.");
        if (found.Maintainers.Count == 1)
        {
            throw ToolgridException.Conflict("last-maintainer", $"{user} is the last maintainer of '{found.Name}'; add another maintainer first, or delete the tool.");
        }

        // Access goes first: the group membership is what lets a person into the tool's files.
        await accounts.RemoveMaintainerAsync(found.Name, user, cancellationToken);
        found.Maintainers.Remove(maintainer);
        db.Maintainers.Remove(maintainer);
        await db.SaveChangesAsync(cancellationToken);
        await becomeRules.SyncAsync(cancellationToken);
        return Results.Ok(List(found));
    }

    private static List<MaintainerView> List(Tool tool) =>
        tool.Maintainers.OrderBy(m => m.UserName, StringComparer.Ordinal).Select(Views.Of).ToList();
}
