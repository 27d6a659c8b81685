using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Core.Notifications;
using Toolgrid.Store;

namespace Toolgrid.Notifications.Tests;

public sealed class NotificationsServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(bool active, Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Toolgrid:Store:Path"] = "/nonexistent/toolgrid.db" })
            .AddInMemoryCollection(settings ?? [])
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddToolgridStore();
        services.AddToolgridNotifications(active);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    [Fact]
    public void Active_AddsTheNotifierAsAHostedService()
    {
        using var services = Build(active: true);

        Assert.Same(services.GetRequiredService<Notifier>(), Assert.Single(services.GetServices<IHostedService>().OfType<Notifier>()));
    }

    [Fact]
    public void NotActive_TheApiStillGetsTheStatusTheExcerptsAndTheWarnings_ButNoNotifier()
    {
        using var services = Build(active: false);

        Assert.Empty(services.GetServices<IHostedService>());
        Assert.NotNull(services.GetRequiredService<MailStatus>());
        Assert.IsType<OutputExcerpts>(services.GetRequiredService<IOutputExcerpts>());
        Assert.Single(services.GetServices<IWarningSource>());
    }

    [Fact]
    public void TheSiteTimeZone_IsTheDefaultOfTheMailsTimeZone()
    {
        using var services = Build(active: false, new() { ["Toolgrid:TimeZone"] = "America/New_York" });

        Assert.Equal("America/New_York", services.GetRequiredService<IOptions<MailOptions>>().Value.TimeZone);
    }

    [Fact]
    public void AMailTimeZone_WinsOverTheSites()
    {
        using var services = Build(active: false, new() { ["Toolgrid:TimeZone"] = "America/New_York", ["Toolgrid:Mail:TimeZone"] = "Europe/Berlin" });

        Assert.Equal("Europe/Berlin", services.GetRequiredService<IOptions<MailOptions>>().Value.TimeZone);
    }

    [Fact]
    public void BadOptions_FailOnFirstUse_WithEveryProblem()
    {
        using var services = Build(active: false, new()
        {
            ["Toolgrid:Mail:Host"] = "smtp.example.org",
            ["Toolgrid:Mail:Security"] = "tls",
            ["Toolgrid:Mail:Port"] = "587",
        });

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<MailOptions>>().Value);

        Assert.Equal(3, e.Failures.Count());
    }

    [Fact]
    public void MailOptions_BindFromConfiguration()
    {
        using var services = Build(active: false, new()
        {
            ["Toolgrid:Mail:Host"] = "smtp.example.org",
            ["Toolgrid:Mail:Security"] = "starttls",
            ["Toolgrid:Mail:UserName"] = "toolgrid",
            ["Toolgrid:Mail:Password"] = "secret",
            ["Toolgrid:Mail:From"] = "toolgrid@example.org",
            ["Toolgrid:Mail:AddressFormat"] = "{user}@example.org",
            ["Toolgrid:Mail:Window"] = "00:10:00",
            ["Toolgrid:Mail:MaxAttempts"] = "12",
        });

        var options = services.GetRequiredService<IOptions<MailOptions>>().Value;

        Assert.Equal((MailSecurity.StartTls, 587, TimeSpan.FromMinutes(10), 12), (options.ParsedSecurity, options.EffectivePort, options.Window, options.MaxAttempts));
        Assert.Equal("SMTP to smtp.example.org:587 (starttls), logging in as toolgrid, from toolgrid@example.org; each tool's events are gathered for 10m", MailStatus.Detail(options));
    }
}
