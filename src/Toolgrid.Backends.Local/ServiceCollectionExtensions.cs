using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Local;

/// <summary>Registers the local backend.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="LocalBackend"/> as the <see cref="IBackend"/> (and the <see cref="IRunTerminals"/>), with its options bound from
    /// <c>Toolgrid:Local</c> and validated when the host starts.
    /// </summary>
    public static LocalBackendBuilder AddLocalBackend(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<LocalBackendOptions>().BindConfiguration(LocalBackendOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalBackendOptions>, LocalBackendOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LocalBackend>();
        services.TryAddSingleton<IBackend>(sp => sp.GetRequiredService<LocalBackend>());
        services.TryAddSingleton<IRunTerminals>(sp => sp.GetRequiredService<LocalBackend>());
        return new LocalBackendBuilder(services);
    }
}
