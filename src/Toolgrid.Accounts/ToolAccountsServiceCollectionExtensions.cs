using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Accounts;

namespace Toolgrid.Accounts;

/// <summary>Registers tools' Unix accounts and the user database.</summary>
public static class ToolAccountsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IToolAccounts"/> (<see cref="ToolAccounts"/>), <see cref="IUserDatabase"/>
    /// (<see cref="UnixUserDatabase"/>) and <see cref="UnixCallers"/> as singletons, unless
    /// already registered, with <see cref="ToolAccountsOptions"/> bound from
    /// <c>Toolgrid:Accounts</c> and validated when the host starts.
    /// </summary>
    /// <returns>The options' builder, to configure them further.</returns>
    public static OptionsBuilder<ToolAccountsOptions> AddToolAccounts(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IUserDatabase, UnixUserDatabase>();
        services.TryAddSingleton<ToolAccounts>();
        services.TryAddSingleton<IToolAccounts>(provider => provider.GetRequiredService<ToolAccounts>());
        services.TryAddSingleton<UnixCallers>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ToolAccountsOptions>, ToolAccountsOptionsValidator>());
        return services.AddOptions<ToolAccountsOptions>()
            .BindConfiguration(ToolAccountsOptions.Section)
            .ValidateOnStart();
    }
}
