using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Diagnostics;

namespace Toolgrid.Controller;

/// <summary>Registers the controller.</summary>
public static class ControllerServiceCollectionExtensions
{
    /// <summary>
    /// Adds what the API needs from the controller (<see cref="SupervisorSignal"/>,
    /// <see cref="RunEvents"/>) and, when <paramref name="active"/>, the supervisor loop and the
    /// backend watch. Needs an <see cref="Core.Backends.IBackend"/> and the store.
    /// </summary>
    public static IServiceCollection AddToolgridController(this IServiceCollection services, bool active = true)
    {
        services.AddOptions<ControllerOptions>().BindConfiguration(ControllerOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ControllerOptions>, ControllerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SupervisorSignal>();
        services.TryAddSingleton<RunEvents>();
        if (!active)
        {
            return services;
        }

        services.TryAddSingleton<RunNotices>();
        services.TryAddSingleton<RunUpdates>();
        services.TryAddSingleton<SnapshotReader>();
        services.TryAddSingleton<ReconcileReads>();
        services.TryAddSingleton<LaunchFactory>();
        services.TryAddSingleton<Launches>();
        services.TryAddSingleton<DeferredStarts>();
        services.AddSingleton<IWarningSource>(p => p.GetRequiredService<DeferredStarts>());
        services.TryAddSingleton<EngineDrainRetries>();
        services.AddSingleton<IWarningSource>(p => p.GetRequiredService<EngineDrainRetries>());
        services.TryAddSingleton<RunRecorder>();
        services.TryAddSingleton<RunStarts>();
        services.TryAddSingleton<ScheduleAdvances>();
        services.TryAddSingleton<StoreUpkeep>();
        services.TryAddSingleton<SupervisorSteps>();
        services.AddHostedService<SupervisorLoop>();
        services.AddHostedService<BackendWatch>();
        services.TryAddSingleton<Core.Backends.INodeAddresses, NodeNames>();
        services.AddHostedService<GridHealthProber>();
        return services;
    }

    /// <summary>
    /// Adds the reports of jobs a grid engine lists under tools' users that Toolgrid did not start
    /// (<see cref="OutsideJobReports"/>), to the active controller. Needs an
    /// <see cref="Core.Backends.IOutsideJobs"/>, an <see cref="Core.Accounts.IToolAccounts"/> and the store.
    /// </summary>
    public static IServiceCollection AddOutsideJobReports(this IServiceCollection services)
    {
        services.TryAddSingleton<OutsideJobReports>();
        services.AddSingleton<IWarningSource>(p => p.GetRequiredService<OutsideJobReports>());
        services.AddHostedService(p => p.GetRequiredService<OutsideJobReports>());
        return services;
    }
}
