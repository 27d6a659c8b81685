using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Webservices;
using Toolgrid.Proxy.Routing;

namespace Toolgrid.Proxy.Hosting;

/// <summary>Registers the front proxy.</summary>
public static class ProxyServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ProxyOptions"/> from <c>Toolgrid:Proxy</c> (validated when the host starts:
    /// the API shows tools' addresses from them, as the <see cref="WebserviceAddress"/> it adds; the
    /// controller's health checks of grid runs reach nodes as it says, <see cref="INodeAddresses"/>) and, when <paramref name="serve"/>, the proxy
    /// itself (<see cref="ProxyServer"/>), which needs the store.
    /// </summary>
    /// <returns>The options' builder, to configure them further.</returns>
    public static OptionsBuilder<ProxyOptions> AddToolgridProxy(this IServiceCollection services, bool serve = true)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>());
        services.TryAddSingleton(p => ProxyAddress.Of(p.GetRequiredService<IOptions<ProxyOptions>>().Value));

        // What is checked from this host goes where the proxy sends traffic, in every role.
        services.Replace(ServiceDescriptor.Singleton<INodeAddresses, ProxyNodeAddresses>());
        if (serve)
        {
            services.TryAddSingleton<ProxyServer>();
            services.AddHostedService(p => p.GetRequiredService<ProxyServer>());
        }

        return services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section).ValidateOnStart();
    }
}
