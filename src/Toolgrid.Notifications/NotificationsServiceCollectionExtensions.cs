using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Core.Notifications;

namespace Toolgrid.Notifications;

/// <summary>Registers notifications.</summary>
public static class NotificationsServiceCollectionExtensions
{
    /// <summary>The site's time zone (<c>Toolgrid:TimeZone</c>), the default of <see cref="MailOptions.TimeZone"/>.</summary>
    public const string SiteTimeZoneKey = "Toolgrid:TimeZone";

    /// <summary>
    /// Adds <see cref="MailOptions"/> from <c>Toolgrid:Mail</c> (validated at start), the
    /// <see cref="MailStatus"/> of the outbox, <see cref="ToolMails"/> (mails of an admin's decisions), the <see cref="IOutputExcerpts"/> reader, a
    /// <see cref="IWarningSource"/> that tells <c>toolgrid status</c> when mail is off or failing,
    /// and, when <paramref name="active"/> (the active controller), the <see cref="Notifier"/> that
    /// gathers notices into mails and sends them. Needs the store and an <see cref="IConfiguration"/>.
    /// </summary>
    public static NotificationsBuilder AddToolgridNotifications(this IServiceCollection services, bool active = true)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<MailOptions>()
            .BindConfiguration(MailOptions.Section)
            .PostConfigure<IConfiguration>((o, configuration) => o.TimeZone ??= configuration[SiteTimeZoneKey])
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MailOptions>, MailOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MailDeliveryState>();
        services.TryAddSingleton<MailStatus>();
        services.TryAddSingleton<ToolMails>();
        services.TryAddSingleton<IOutputExcerpts, OutputExcerpts>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWarningSource, MailWarnings>());
        if (active)
        {
            services.TryAddSingleton<Notifier>();
            services.AddHostedService(provider => provider.GetRequiredService<Notifier>());
        }

        return new NotificationsBuilder(services);
    }
}
