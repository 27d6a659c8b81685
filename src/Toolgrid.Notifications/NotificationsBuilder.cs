using Microsoft.Extensions.DependencyInjection;

namespace Toolgrid.Notifications;

/// <summary>Returned by <see cref="NotificationsServiceCollectionExtensions.AddToolgridNotifications"/> to configure notifications further.</summary>
public sealed class NotificationsBuilder
{
    internal NotificationsBuilder(IServiceCollection services) => Services = services;

    /// <summary>The services notifications were added to.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Configures <see cref="MailOptions"/> in code, on top of the configuration section.</summary>
    public NotificationsBuilder Configure(Action<MailOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }
}
