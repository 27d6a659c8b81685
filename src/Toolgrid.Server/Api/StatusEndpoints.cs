using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Toolgrid.Accounts;
using Toolgrid.Backends.Local;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Accounts;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Core.Identity;
using Toolgrid.Notifications;
using Toolgrid.Server.Identity;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary><c>/api/v1/whoami</c> and <c>/api/v1/status</c>.</summary>
public static class StatusEndpoints
{
    public static RouteGroupBuilder MapStatusEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/whoami", WhoAmIAsync).WithTags("Status").Produces<WhoAmIView>();
        api.MapGet("/status", StatusAsync).WithTags("Status").Produces<StatusView>();
        return api;
    }

    public static string Version { get; } =
        typeof(StatusEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static string ModeName(AccountMode mode) => mode == AccountMode.MultiUser ? "multi-user" : "single-user";

    /// <summary>What keeps tools apart here and what they share (<see cref="IsolationText"/>).</summary>
    public static string ModeDetail(IToolAccounts accounts, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(services);
        var homeMode = services.GetService<ToolAccounts>()?.HomeMode ?? ToolAccountsOptions.ParseHomeMode(ToolAccountsOptions.DefaultHomeMode)!.Value;
        return IsolationText.Describe(accounts.Mode, Environment.UserName, homeMode, services.GetService<LocalBackend>());
    }

    private static async Task<IResult> WhoAmIAsync(HttpContext context, ToolgridDbContext db, IToolAccounts accounts, ServerPaths paths, CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        var maintains = await db.Maintainers.AsNoTracking()
            .Where(m => m.UserName == caller.UserName)
            .Join(db.Tools.Where(t => t.DisabledAt == null), m => m.ToolName, t => t.Name, (m, t) => t.Name)
            .OrderBy(n => n)
            .ToListAsync(cancellationToken);
        return Results.Ok(new WhoAmIView(
            caller.UserName,
            caller.Tool,
            caller.IsAdmin,
            caller.Via == Core.Identity.CallerVia.Token ? "token" : "peer-credentials",
            maintains,
            ModeName(accounts.Mode),
            TokenWire.Of(caller.Scope),
            paths.PublicApiUrls(System.Net.Dns.GetHostName())));
    }

    private static async Task<IResult> StatusAsync(
        HttpContext context,
        ToolgridDbContext db,
        IToolAccounts accounts,
        ServerPaths paths,
        Roles roles,
        IEnumerable<IWarningSource> warningSources,
        IServiceProvider services,
        CancellationToken cancellationToken)
    {
        var nodes = await db.Nodes.AsNoTracking().OrderBy(n => n.Name).ToListAsync(cancellationToken);
        var entries = (await NodeReader.ReadAsync(db, cancellationToken)).ToDictionary(n => n.Name, StringComparer.Ordinal);
        // Counts of the whole history kept by the store's triggers: a few rows, not a pass over every run.
        var runs = await db.RunStateCounts.AsNoTracking()
            .Where(c => c.Count > 0)
            .Select(c => new { c.State, Count = (int)c.Count })
            .ToListAsync(cancellationToken);
        var tools = await db.Tools.CountAsync(t => t.DisabledAt == null, cancellationToken);
        var jobs = await db.Jobs.CountAsync(j => j.DeletedAt == null, cancellationToken);

        var warnings = new List<string>();
        if (accounts.Mode == AccountMode.SingleUser)
        {
            warnings.Add("single-user mode: " + ModeDetail(accounts, services));
        }

        warnings.AddRange(warningSources.SelectMany(w => w.Warnings));
        var backend = services.GetService<IBackend>()?.Name ?? "none";

        // The outbox names people's addresses and the mail server's errors: for admins only.
        var mail = context.User.ToCaller().IsAdmin && services.GetService<MailStatus>() is { } mailStatus
            ? await mailStatus.GetAsync(cancellationToken)
            : null;

        return Results.Ok(new StatusView(
            Version,
            ModeName(accounts.Mode),
            ModeDetail(accounts, services),
            roles.Names,
            backend,
            paths.DataRoot,
            "sqlite:" + paths.StorePath,
            nodes.Select(n => new NodeView(
                n.Name,
                entries[n.Name].State,
                n.Queues.Split(',', StringSplitOptions.RemoveEmptyEntries),
                MemorySize.Describe(n.MemoryBytes),
                CpuQuantity.Format(n.CpuMillis),
                n.Slots,
                entries[n.Name].Runs,
                n.LastSeenAt,
                n.HostMemoryBytes is { } hostMemory ? MemorySize.Describe(hostMemory) : null,
                n.HostCpuMillis is { } hostCpu ? CpuQuantity.Format(hostCpu) : null,
                n.HostMemoryBytes is > 0 ? Math.Round((double)n.MemoryBytes / n.HostMemoryBytes.Value, 2) : null,
                n.HostCpuMillis is > 0 ? Math.Round((double)n.CpuMillis / n.HostCpuMillis.Value, 2) : null,
                entries[n.Name].Drain)).ToList(),
            tools,
            jobs,
            runs.ToDictionary(r => RunWire.Of(r.State), r => r.Count),
            warnings,
            mail,
            await QueueEndpoints.ReadAsync(db, cancellationToken)));
    }
}
