using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Toolgrid.Store.Changes;

namespace Toolgrid.Store;

/// <summary>Registers the store.</summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the store: <see cref="StoreOptions"/> from <c>Toolgrid:Store</c> (validated at start),
    /// a pooled <see cref="IDbContextFactory{TContext}"/> and a scoped <see cref="ToolgridDbContext"/>,
    /// the <see cref="StoreChanges"/> its contexts raise, the <see cref="StoreCommits"/> and
    /// <see cref="StoreCommitWatch"/> loops that read it wait on, and the <see cref="StoreMigrator"/>.
    /// </summary>
    public static IServiceCollection AddToolgridStore(this IServiceCollection services)
    {
        services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>());
        services.TryAddSingleton<StoreChanges>();
        services.TryAddSingleton<StoreCommits>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StoreCommitWatch>();
        services.AddPooledDbContextFactory<ToolgridDbContext>((provider, builder) =>
            SqliteStore.Configure(builder, provider.GetRequiredService<IOptions<StoreOptions>>().Value, provider.GetRequiredService<StoreChanges>()));
        services.TryAddScoped(provider => provider.GetRequiredService<IDbContextFactory<ToolgridDbContext>>().CreateDbContext());
        services.TryAddSingleton<StoreMigrator>();
        return services;
    }
}
