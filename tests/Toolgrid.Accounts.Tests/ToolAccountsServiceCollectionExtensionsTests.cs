using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Accounts;

namespace Toolgrid.Accounts.Tests;

public sealed class ToolAccountsServiceCollectionExtensionsTests
{
    [Fact]
    public void AddToolAccounts_BindsTheSection_AndServesOneInstance()
    {
        using var provider = Provider(new()
        {
            ["Toolgrid:Accounts:DataRoot"] = "/srv/tools",
            ["Toolgrid:Accounts:UnixUserPrefix"] = "tg.",
            ["Toolgrid:Accounts:Mode"] = "SingleUser",
        });

        provider.GetRequiredService<IStartupValidator>().Validate();
        var accounts = provider.GetRequiredService<IToolAccounts>();

        Assert.Same(provider.GetRequiredService<ToolAccounts>(), accounts);
        Assert.Equal(AccountMode.SingleUser, accounts.Mode);
        Assert.Equal("/srv/tools/x", provider.GetRequiredService<ToolAccounts>().HomeOf("x"));
        Assert.Equal("tg.", provider.GetRequiredService<IOptions<ToolAccountsOptions>>().Value.UnixUserPrefix);
        Assert.NotNull(provider.GetRequiredService<UnixCallers>());
        Assert.IsType<UnixUserDatabase>(provider.GetRequiredService<IUserDatabase>());
    }

    [Fact]
    public void AddToolAccounts_WithBadSettings_FailsAtStartWithEveryProblem()
    {
        using var provider = Provider(new()
        {
            ["Toolgrid:Accounts:DataRoot"] = "data",
            ["Toolgrid:Accounts:UidMin"] = "10",
        });

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        // DataRoot relative; UidMin below the system accounts, and below PersonUidMin (1000).
        Assert.Equal(3, e.Failures.Count());
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddToolAccounts();
        return services.BuildServiceProvider();
    }
}
