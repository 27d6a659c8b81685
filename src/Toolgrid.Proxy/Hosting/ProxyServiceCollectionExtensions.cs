using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Webservices;

namespace Toolgrid.Proxy.Hosting;

/// <summary>Registers the front proxy.</summary>
public static class ProxyServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ProxyOptions"/> from <c>Toolgrid:Proxy</c> (validated when the host starts:
    /// the API shows tools' addresses from them, as the <see cref="WebserviceAddress"/> it adds) and, when <paramref name="serve"/>, the proxy
    /// itself (<see cref="ProxyServer"/>), which needs the store.
    /// </summary>
    /// <returns>The options' builder, to configure them further.</returns>
    public static OptionsBuilder<ProxyOptions> AddToolgridProxy(this IServiceCollection services, bool serve = true)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>());
        services.TryAddSingleton(p => ProxyAddress.Of(p.GetRequiredService<IOptions<ProxyOptions>>().Value));
        if (serve)
        {
            services.TryAddSingleton<ProxyServer>();
            services.AddHostedService(p => p.GetRequiredService<ProxyServer>());
        }

        return services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section).ValidateOnStart();
    }
}
