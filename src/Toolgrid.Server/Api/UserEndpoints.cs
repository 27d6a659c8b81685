using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Toolgrid.Accounts;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Tools;
using Toolgrid.Server.Identity;
using Toolgrid.Server.Tools;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary><c>/api/v1/users/{user}/limits</c>: what one person may have (how many tools they may create).</summary>
public static class UserEndpoints
{
    public static RouteGroupBuilder MapUserEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users/{user}").WithTags("Users");
        users.MapGet("/limits", GetLimitsAsync).Produces<UserLimitsView>();
        users.MapPatch("/limits", UpdateLimitsAsync).Accepts<UserLimitsUpdate>("application/json").Produces<UserLimitsView>();
        return api;
    }

    private static async Task<IResult> GetLimitsAsync(string user, HttpContext context, ToolgridDbContext db, IUserDatabase users, IOptions<ToolOptions> options, CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        if (!string.Equals(caller.UserName, user, StringComparison.Ordinal))
        {
            Access.DemandAdmin(caller, "Looking at another person's limits");
        }

        DemandUser(user, users);
        return Results.Ok(await ViewAsync(db, user, options.Value, cancellationToken));
    }

    private static async Task<IResult> UpdateLimitsAsync(
        string user,
        HttpContext context,
        ToolgridDbContext db,
        IUserDatabase users,
        IOptions<ToolOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        Access.DemandAdmin(caller, "Changing a person's limits");
        var problems = new Problems();
        var request = await StrictJson.ReadAsync<UserLimitsUpdate>(context.Request, problems, cancellationToken);
        int? maxTools = null;
        var reset = false;
        if (request.MaxTools is null)
        {
            problems.Add("maxTools", "nothing to change: give maxTools, a number of tools or 'default'.");
        }
        else if (request.MaxTools.Trim().Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            reset = true;
        }
        else if (int.TryParse(request.MaxTools, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 0 and <= ToolCap.Ceiling)
        {
            maxTools = count;
        }
        else
        {
            problems.Add("maxTools", $"'{InputText.Shorten(request.MaxTools)}' is not a number of tools from 0 to {ToolCap.Ceiling} (or 'default').");
        }

        problems.ThrowIfAny();
        DemandUser(user, users);
        var limit = await db.PersonLimits.FirstOrDefaultAsync(l => l.UserName == user, cancellationToken);
        if (reset)
        {
            if (limit is not null)
            {
                db.PersonLimits.Remove(limit);
            }
        }
        else
        {
            if (limit is null)
            {
                limit = new PersonLimit { UserName = user, SetBy = caller.UserName };
                db.PersonLimits.Add(limit);
            }

            limit.MaxTools = maxTools!.Value;
            limit.SetBy = caller.UserName;
            limit.SetAt = time.GetUtcNow();
        }

        await db.SaveChangesAsync(cancellationToken);
        return Results.Ok(await ViewAsync(db, user, options.Value, cancellationToken));
    }

    private static void DemandUser(string user, IUserDatabase users)
    {
        var problems = new Problems();
        UserName.Validate(user, problems);
        problems.ThrowIfAny();
        if (users.FindUser(user) is null)
        {
            throw ToolgridException.NotFound("user-not-found", $"there is no user '{user}' on this host.");
        }
    }

    private static async Task<UserLimitsView> ViewAsync(ToolgridDbContext db, string user, ToolOptions options, CancellationToken cancellationToken)
    {
        var limit = await db.PersonLimits.AsNoTracking().FirstOrDefaultAsync(l => l.UserName == user, cancellationToken);
        var created = await db.Tools.CountAsync(t => t.CreatedBy == user && t.DisabledAt == null, cancellationToken);
        return new UserLimitsView(user, limit?.MaxTools ?? options.MaxToolsPerPerson, limit is not null, created);
    }
}
