using Microsoft.Extensions.DependencyInjection;

namespace Toolgrid.Backends.Local;

/// <summary>Returned by <see cref="ServiceCollectionExtensions.AddLocalBackend"/> to configure the local backend further.</summary>
public sealed class LocalBackendBuilder
{
    internal LocalBackendBuilder(IServiceCollection services) => Services = services;

    /// <summary>The services the backend was added to.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Configures <see cref="LocalBackendOptions"/> in code, on top of the configuration section.</summary>
    public LocalBackendBuilder Configure(Action<LocalBackendOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }
}
