using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
        services.AddOptions<ControllerOptions>()
            .BindConfiguration(ControllerOptions.Section)
            .Validate(
                o => new Core.Scheduling.ScheduleSettings(o.ScheduleLateness, o.CatchUpWindow, 1) { LeadTime = o.ScheduleLeadTime }.Problems().Count == 0,
                $"{ControllerOptions.Section}: ScheduleLateness and CatchUpWindow must not be negative, and ScheduleLeadTime must be between 0 and 10 minutes (e.g. 00:00:30).")
            .ValidateOnStart();
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
        services.TryAddSingleton<LaunchFactory>();
        services.TryAddSingleton<Launches>();
        services.TryAddSingleton<RunRecorder>();
        services.TryAddSingleton<SupervisorSteps>();
        services.AddHostedService<SupervisorLoop>();
        services.AddHostedService<BackendWatch>();
        return services;
    }
}
