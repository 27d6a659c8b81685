using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Toolgrid.Accounts;
using Toolgrid.Backends.GridEngine;
using Toolgrid.Backends.Local;
using Toolgrid.Backends.Slurm;
using Toolgrid.Controller;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Native.Processes;
using Toolgrid.Notifications;
using Toolgrid.Proxy;
using Toolgrid.Proxy.Hosting;
using Toolgrid.Server.Api;
using Toolgrid.Server.Idempotency;
using Toolgrid.Server.Identity;
using Toolgrid.Server.Tools;
using Toolgrid.Store;

namespace Toolgrid.Server.Hosting;

/// <summary>Registers what toolgridd's roles need.</summary>
public static class ServerServiceCollectionExtensions
{
    public static IServiceCollection AddToolgridServer(this IServiceCollection services, IConfiguration configuration, ServerPaths paths, Roles roles)
    {
        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemResponses.Customize);
        services.AddExceptionHandler<ToolgridExceptionHandler>();
        services.TryAddSingleton(paths);
        services.TryAddSingleton(roles);
        services.TryAddSingleton(TimeProvider.System);

        services.AddToolgridStore();
        services.PostConfigure<StoreOptions>(o => o.Path ??= paths.StorePath);

        services.AddToolAccounts();
        var accountsDataRoot = configuration[$"{ToolAccountsOptions.Section}:{nameof(ToolAccountsOptions.DataRoot)}"];
        services.PostConfigure<ToolAccountsOptions>(o => o.DataRoot = accountsDataRoot ?? paths.DataRoot);
        services.TryAddSingleton<BecomeRulesSync>();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenOptions>, TokenOptionsValidator>());
        services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ToolOptions>, ToolOptionsValidator>());
        services.AddOptions<ToolOptions>().BindConfiguration(ToolOptions.Section).ValidateOnStart();
        services.TryAddSingleton<LegacyTokens>();
        services.AddHostedService(p => p.GetRequiredService<BecomeRulesSync>());
        services.AddHostedService<ToolHomesRepair>();

        var site = configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new();
        if (site.Backend == BackendNames.GridEngine)
        {
            // The engine's nodes run the runs: the backend goes with the controller, which submits and watches.
            if (roles.Controller)
            {
                services.AddGridEngineBackend();
                services.PostConfigure<GridEngineBackendOptions>(o => o.StateDirectory ??= Path.Combine(paths.StateDirectory, "gridengine"));
                services.AddSingleton<IWarningSource>(p => p.GetRequiredService<GridEngineBackend>());
                services.AddSingleton<IOutsideJobs>(p => p.GetRequiredService<GridEngineBackend>());
            }
        }
        else if (site.Backend == BackendNames.Slurm)
        {
            if (roles.Controller)
            {
                services.AddSlurmBackend();
                services.PostConfigure<SlurmBackendOptions>(o => o.StateDirectory ??= Path.Combine(paths.StateDirectory, "slurm"));
                services.AddSingleton<IWarningSource>(p => p.GetRequiredService<SlurmBackend>());
                services.AddSingleton<IOutsideJobs>(p => p.GetRequiredService<SlurmBackend>());
            }
        }
        else if (roles.Node)
        {
            services.AddLocalBackend();
            services.PostConfigure<LocalBackendOptions>(o => o.RunDirectory = string.IsNullOrEmpty(o.RunDirectory) ? paths.RunDirectory : o.RunDirectory);
            services.AddSingleton<IWarningSource>(p => p.GetRequiredService<LocalBackend>());
        }

        services.AddToolgridController(active: roles.Controller);
        if (roles.Controller && site.Backend is BackendNames.GridEngine or BackendNames.Slurm)
        {
            services.AddOutsideJobReports();
        }
        services.AddSingleton<IWarningSource, StateDiskSpace>();
        services.PostConfigure<ControllerOptions>(o =>
        {
            o.MaxProcesses = site.Limits.MaxProcesses;
            o.TimeZone = site.TimeZone;
            if (paths.ApiSocket is not null)
            {
                o.RunEnvironment.TryAdd("TOOLGRID_API", "unix:" + paths.ApiSocket);
            }
        });

        // Notices are written by the controller with the runs' changes; only the active controller
        // gathers and mails them. Any role can tell the outbox's state (status).
        services.AddToolgridNotifications(active: roles.Controller);

        // The API reads the proxy's options too (a web service's addresses); only the proxy role serves.
        services.AddToolgridProxy(serve: roles.Proxy);
        services.PostConfigure<ProxyOptions>(o =>
        {
            o.Urls ??= ProcessIdentity.EffectiveUid == 0 ? ProxyOptions.DefaultRootUrl : null;
            o.NginxDirectory ??= Path.Combine(paths.StateDirectory, "nginx");
        });

        if (roles.Api)
        {
            // Authentication brings data protection along; its keys belong with the rest of the state.
            services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(paths.StateDirectory, "keys")));
            services.AddAuthentication(CallerAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, CallerAuthenticationHandler>(CallerAuthenticationHandler.SchemeName, null);
            services.AddAuthorization();

            // A query parameter that does not parse throws, so that it becomes a problem like every other bad input.
            services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
            services.TryAddSingleton<CallerResolver>();
            services.TryAddSingleton<ReservedNames>();
            services.TryAddSingleton<IdempotencyTrimmer>();
            services.AddHostedService(p => p.GetRequiredService<IdempotencyTrimmer>());
            services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Toolgrid API";
                document.Info.Description = "Tools, their maintainers, jobs and runs. Errors are RFC 7807 problem details; see docs/api.md.";
                return Task.CompletedTask;
            }));
        }

        return services;
    }
}
