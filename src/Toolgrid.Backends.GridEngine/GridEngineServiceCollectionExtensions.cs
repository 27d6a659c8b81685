using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.GridEngine;

/// <summary>Registers the Grid Engine backend.</summary>
public static class GridEngineServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="GridEngineBackend"/> as the <see cref="IBackend"/> (and the <see cref="IRunTerminals"/>), its options from
    /// <c>Toolgrid:GridEngine</c>, checked at start (the qmaster must answer).
    /// </summary>
    public static IServiceCollection AddGridEngineBackend(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GridEngineBackendOptions>, GridEngineBackendOptionsValidator>());
        services.AddOptions<GridEngineBackendOptions>().BindConfiguration(GridEngineBackendOptions.SectionName).ValidateOnStart();
        services.TryAddSingleton(p =>
        {
            var options = p.GetRequiredService<IOptions<GridEngineBackendOptions>>().Value;
            var time = p.GetRequiredService<TimeProvider>();
            var settings = new GridEngineBackendSettings(
                options.StateDirectory ?? throw new InvalidOperationException($"{GridEngineBackendOptions.SectionName}:StateDirectory is not set."),
                options.DefaultQueue,
                options.PollInterval,
                options.AccountingWait,
                options.NodeLostAfter,
                options.ProbeExecds ? options.ExecdPort : null);
            return new GridEngineBackend(new SgeClient(options.ToCell(), time, options.CommandTimeout), settings, time, p.GetRequiredService<ILogger<GridEngineBackend>>());
        });
        services.TryAddSingleton<IBackend>(p => p.GetRequiredService<GridEngineBackend>());
        services.TryAddSingleton<IRunTerminals>(p => p.GetRequiredService<GridEngineBackend>());
        return services;
    }
}
