using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Slurm;

/// <summary>Registers the Slurm backend.</summary>
public static class SlurmServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="SlurmBackend"/> as the <see cref="IBackend"/> (and the <see cref="IRunTerminals"/>), its options from
    /// <c>Toolgrid:Slurm</c>, checked at start (slurmctld must answer and have the default partition).
    /// </summary>
    public static IServiceCollection AddSlurmBackend(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlurmBackendOptions>, SlurmBackendOptionsValidator>());
        services.AddOptions<SlurmBackendOptions>().BindConfiguration(SlurmBackendOptions.SectionName).ValidateOnStart();
        services.TryAddSingleton(p =>
        {
            var options = p.GetRequiredService<IOptions<SlurmBackendOptions>>().Value;
            var time = p.GetRequiredService<TimeProvider>();
            var client = new SlurmClient(options.ToCluster(), time, options.CommandTimeout);

            // The validator has seen that the cluster has a default partition when none is named;
            // it is asked once, here, so that every run of the default queue names it.
            var defaultPartition = options.DefaultPartition
                ?? client.ListPartitionsAsync(CancellationToken.None).GetAwaiter().GetResult().FirstOrDefault(partition => partition.IsDefault)?.Name
                ?? throw new InvalidOperationException($"{SlurmBackendOptions.SectionName}:DefaultPartition is not set and the cluster has no default partition.");
            var settings = new SlurmBackendSettings(
                options.StateDirectory ?? throw new InvalidOperationException($"{SlurmBackendOptions.SectionName}:StateDirectory is not set."),
                defaultPartition,
                options.PollInterval,
                options.MissingWait);
            return new SlurmBackend(client, settings, time, p.GetRequiredService<ILogger<SlurmBackend>>());
        });
        services.TryAddSingleton<IBackend>(p => p.GetRequiredService<SlurmBackend>());
        services.TryAddSingleton<IRunTerminals>(p => p.GetRequiredService<SlurmBackend>());
        return services;
    }
}
