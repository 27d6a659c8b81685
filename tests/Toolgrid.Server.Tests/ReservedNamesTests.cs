using Microsoft.AspNetCore.Hosting;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>Names a tool may not take: the default list, or the site's, and the proxy's admin host.</summary>
public sealed class ReservedNamesTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    [ApiTheory]
    [InlineData("root")]
    [InlineData("admin")]
    [InlineData("www")]
    [InlineData("api")]
    [InlineData("status")]
    public async Task Create_with_a_reserved_name_answers_400_saying_so_and_makes_nothing(string name)
    {
        using var nobody = factory.As(People.Nobody);
        var before = await StoreSnapshot.TakeAsync(factory);

        using var response = await nobody.PostJsonAsync("/api/v1/tools", new { name });

        var problem = await response.ValidationProblemAsync();
        Assert.Contains($"'{name}' is a reserved name on this site", problem.MessageFor("name"), StringComparison.Ordinal);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [ApiFact]
    public async Task A_sites_own_list_replaces_the_default_and_its_admin_host_is_reserved_too()
    {
        using var site = new SiteListFactory();
        using var nobody = site.As(People.Nobody);

        using (var wiki = await nobody.PostJsonAsync("/api/v1/tools", new { name = "wiki" }))
        {
            Assert.Contains("reserved", (await wiki.ValidationProblemAsync()).MessageFor("name"), StringComparison.Ordinal);
        }

        using (var dashboard = await nobody.PostJsonAsync("/api/v1/tools", new { name = "dashboard" }))
        {
            Assert.Contains("reserved", (await dashboard.ValidationProblemAsync()).MessageFor("name"), StringComparison.Ordinal);
        }

        await nobody.CreateToolAsync("api");
    }

    /// <summary>A site that reserves "wiki" alone and serves its status page at dashboard.example.org.</summary>
    private sealed class SiteListFactory : ToolgridApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Toolgrid:Tools:ReservedNames:0", "wiki");
            builder.UseSetting("Toolgrid:Proxy:Domain", "example.org");
            builder.UseSetting("Toolgrid:Proxy:AdminHost", "dashboard.example.org");
        }
    }
}
