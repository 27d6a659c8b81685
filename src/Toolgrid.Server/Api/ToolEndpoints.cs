using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Tools;
using Toolgrid.Contracts.Validation;
using Toolgrid.Controller;
using Toolgrid.Core.Accounts;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Tools;
using Toolgrid.Server.Identity;
using Toolgrid.Server.Tools;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary><c>/api/v1/tools</c>: tool accounts.</summary>
public static class ToolEndpoints
{
    public const int MaxDescriptionLength = 1024;

    public static RouteGroupBuilder MapToolEndpoints(this RouteGroupBuilder api)
    {
        var tools = api.MapGroup("/tools").WithTags("Tools");
        tools.MapGet("", ListAsync).Produces<List<ToolView>>();
        tools.MapPost("", CreateAsync).Accepts<ToolCreateRequest>("application/json").Produces<ToolView>(StatusCodes.Status201Created);
        tools.MapGet("/{tool}", GetAsync).Produces<ToolView>();
        tools.MapDelete("/{tool}", DeleteAsync).Produces<ToolView>();
        tools.MapPatch("/{tool}", UpdateAsync).Accepts<ToolUpdate>("application/json").Produces<ToolView>();
        tools.MapPatch("/{tool}/limits", UpdateLimitsAsync).Accepts<ToolLimitsUpdate>("application/json").Produces<LimitsView>();
        return api;
    }

    private static async Task<IResult> ListAsync(ToolgridDbContext db, IOptions<ServerOptions> options, bool? all, CancellationToken cancellationToken)
    {
        var tools = await db.Tools.AsNoTracking().Include(t => t.Maintainers)
            .Where(t => all == true || t.DisabledAt == null)
            .OrderBy(t => t.Name)
            .ToListAsync(cancellationToken);
        var jobs = await JobCountsAsync(db, cancellationToken);
        return Results.Ok(tools.Select(t => Views.Of(t, options.Value.Limits, jobs.GetValueOrDefault(t.Name))).ToList());
    }

    private static async Task<IResult> GetAsync(string tool, ToolgridDbContext db, IOptions<ServerOptions> options, CancellationToken cancellationToken)
    {
        var found = await ToolLookup.FindAsync(db, tool, cancellationToken, allowDisabled: true);
        var jobs = await db.Jobs.CountAsync(j => j.ToolName == found.Name && j.DeletedAt == null, cancellationToken);
        return Results.Ok(Views.Of(found, options.Value.Limits, jobs));
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context,
        ToolgridDbContext db,
        IToolAccounts accounts,
        BecomeRulesSync becomeRules,
        ReservedNames reserved,
        IOptions<ServerOptions> options,
        IOptions<ToolOptions> toolOptions,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        Access.DemandPerson(caller, "Creating a tool");
        var problems = new Problems();
        var request = await StrictJson.ReadAsync<ToolCreateRequest>(context.Request, problems, cancellationToken);
        ToolName.Validate(request.Name, accounts.UnixUserPrefix, problems);
        if (!problems.Has("name") && ReservedToolNames.WhyReserved(request.Name!, reserved.Names) is { } why)
        {
            problems.Add("name", why);
        }

        var description = CheckDescription(request.Description, problems);
        var email = ToolEmail.Validate(request.Email, problems);
        problems.ThrowIfAny();
        var name = request.Name!;
        if (await db.Tools.AsNoTracking().FirstOrDefaultAsync(t => t.Name == name, cancellationToken) is { } existing)
        {
            throw ToolgridException.Conflict(
                "tool-exists",
                existing.IsActive
                    ? $"a tool named '{name}' already exists; its maintainers can add you with 'toolgrid maintainers add {name} {caller.UserName}'."
                    : $"a tool named '{name}' existed and was deleted; its files are kept, so the name is not given out again. Choose another name.");
        }

        var created = await db.Tools.CountAsync(t => t.CreatedBy == caller.UserName && t.DisabledAt == null, cancellationToken);
        var raise = await db.PersonLimits.AsNoTracking().FirstOrDefaultAsync(l => l.UserName == caller.UserName, cancellationToken);
        ToolCap.Demand(caller, created, raise?.MaxTools ?? toolOptions.Value.MaxToolsPerPerson, raise is not null);

        // The account first, then the record: making an account is idempotent, so a crash in
        // between is repaired by asking again, and the store never names an account that is not there.
        var account = await accounts.CreateAsync(name, caller.UserName, cancellationToken);
        var now = time.GetUtcNow();
        var tool = new Tool
        {
            Name = name,
            Description = description,
            Email = email,
            UnixUser = account.UnixUser,
            Uid = account.Uid,
            Gid = account.Gid,
            Home = account.Home,
            CreatedAt = now,
            CreatedBy = caller.UserName,
            Maintainers = [new Maintainer { ToolName = name, UserName = caller.UserName, AddedAt = now, AddedBy = caller.UserName }],
        };
        db.Tools.Add(tool);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (!StoreFailures.IsDiskFull(e))
        {
            throw ToolgridException.Conflict("tool-exists", $"a tool named '{name}' was created at the same moment by someone else.");
        }

        await becomeRules.SyncAsync(cancellationToken);
        return Results.Created($"/api/v1/tools/{name}", Views.Of(tool, options.Value.Limits, 0));
    }

    private static string CheckDescription(string? text, Problems problems)
    {
        var description = text?.Trim() ?? "";
        if (description.Length > MaxDescriptionLength)
        {
            problems.Add("description", $"the description is {description.Length} characters long; at most {MaxDescriptionLength} are allowed.");
        }
        else if (description.Any(c => char.IsControl(c) && c != '\n'))
        {
            problems.Add("description", "the description holds control characters.");
        }

        return description;
    }

    private static async Task<IResult> UpdateAsync(
        string tool,
        HttpContext context,
        ToolgridDbContext db,
        IOptions<ServerOptions> options,
        CancellationToken cancellationToken)
    {
        var found = await JobEndpoints.ManagedToolAsync(context, db, tool, cancellationToken);
        var problems = new Problems();
        var request = await StrictJson.ReadAsync<ToolUpdate>(context.Request, problems, cancellationToken);
        var description = request.Description is null ? null : CheckDescription(request.Description, problems);
        var email = request.Email is null ? null : ToolEmail.Validate(request.Email, problems);
        if (request.Description is null && request.Email is null)
        {
            problems.Add("", "nothing to change: give a description, an email, or both.");
        }

        problems.ThrowIfAny();
        var entity = await db.Tools.Include(t => t.Maintainers).FirstAsync(t => t.Name == found.Name, cancellationToken);
        if (description is not null)
        {
            entity.Description = description;
        }

        if (request.Email is not null)
        {
            entity.Email = email;
        }

        await db.SaveChangesAsync(cancellationToken);
        var jobs = await db.Jobs.CountAsync(j => j.ToolName == entity.Name && j.DeletedAt == null, cancellationToken);
        return Results.Ok(Views.Of(entity, options.Value.Limits, jobs));
    }

    private static async Task<IResult> DeleteAsync(
        string tool,
        HttpContext context,
        ToolgridDbContext db,
        IToolAccounts accounts,
        BecomeRulesSync becomeRules,
        SupervisorSignal supervisor,
        IOptions<ServerOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var found = await ToolLookup.FindAsync(db, tool, cancellationToken, allowDisabled: true);
        var caller = context.User.ToCaller();
        Access.DemandManage(caller, found);
        Access.DemandPerson(caller, "Deleting a tool");
        if (found.IsActive)
        {
            // Desired state first: the tool is off and its jobs are gone; the controller stops
            // their runs. Then the account is locked. Files are never touched.
            var now = time.GetUtcNow();
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                found.DisabledAt = now;
                await db.SaveChangesAsync(cancellationToken);
                await db.Jobs.Where(j => j.ToolName == found.Name && j.DeletedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.DeletedAt, now).SetProperty(j => j.Version, j => j.Version + 1), cancellationToken);

                // The tool's own tokens open nothing any more. In single-user mode every tool "runs
                // as" the server's user, whose tokens are a person's, not the tool's.
                if (accounts.Mode == AccountMode.MultiUser)
                {
                    await db.Tokens.Where(t => t.UserName == found.UnixUser && t.RevokedAt == null)
                        .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
            }

            supervisor.Wake();
        }

        await accounts.DisableAsync(found.Name, cancellationToken);
        await becomeRules.SyncAsync(cancellationToken);
        return Results.Ok(Views.Of(found, options.Value.Limits, 0));
    }

    private static async Task<IResult> UpdateLimitsAsync(
        string tool,
        HttpContext context,
        ToolgridDbContext db,
        IOptions<ServerOptions> options,
        CancellationToken cancellationToken)
    {
        Access.DemandAdmin(context.User.ToCaller(), "Changing a tool's limits");
        var problems = new Problems();
        var request = await StrictJson.ReadAsync<ToolLimitsUpdate>(context.Request, problems, cancellationToken);
        var found = await ToolLookup.FindAsync(db, tool, cancellationToken);
        var site = options.Value.Limits;

        if (request.MaxMemory is { } memory)
        {
            found.MaxMemoryBytes = IsDefault(memory) ? null : JobRules.ParseMemoryCeiling(memory, site, problems);
        }

        if (request.MaxCpu is { } cpu)
        {
            found.MaxCpuMillis = IsDefault(cpu) ? null : JobRules.ParseCpuCeiling(cpu, site, problems);
        }

        if (request.MaxJobs is { } jobs)
        {
            found.MaxJobs = IsDefault(jobs) ? null : JobRules.ParseJobsCeiling(jobs, problems);
        }

        problems.ThrowIfAny();
        await db.SaveChangesAsync(cancellationToken);
        return Results.Ok(Views.Of(site.For(found)));
    }

    private static bool IsDefault(string value) => value.Trim().Equals("default", StringComparison.OrdinalIgnoreCase);

    internal static async Task<Dictionary<string, int>> JobCountsAsync(ToolgridDbContext db, CancellationToken cancellationToken) =>
        await db.Jobs.AsNoTracking().Where(j => j.DeletedAt == null)
            .GroupBy(j => j.ToolName)
            .Select(g => new { Tool = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Tool, x => x.Count, StringComparer.Ordinal, cancellationToken);
}
