using System.Net;
using Microsoft.AspNetCore.Hosting;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>Only people maintain tools: system accounts (uid below the site's lowest for people) and <c>nobody</c> are refused.</summary>
public sealed class MaintainerPersonTests(MaintainerPersonTests.SiteDefaultsFactory factory) : IClassFixture<MaintainerPersonTests.SiteDefaultsFactory>
{
    [ApiTheory]
    [InlineData("daemon", "is a system account (uid 1, below 1000, the lowest uid of people on this site: Toolgrid:Accounts:PersonUidMin)")]
    [InlineData("bin", "is a system account (uid 2, below 1000")]
    [InlineData("root", "is a system account (uid 0, below 1000")]
    [InlineData("nobody", "is the system's unprivileged account")]
    public async Task Add_a_system_account_answers_400_not_a_person_saying_why_and_changes_nothing(string user, string why)
    {
        // Made by one who is none of them, so that each is not a maintainer yet.
        using var sys = factory.As("sys");
        await sys.CreateToolAsync("people-only-" + user);
        var before = await StoreSnapshot.TakeAsync(factory);

        using var response = await sys.PutAsync($"/api/v1/tools/people-only-{user}/maintainers/{user}");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "not-a-person");
        Assert.Contains($"'{user}'", problem.Detail, StringComparison.Ordinal);
        Assert.Contains(why, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    /// <summary>The server as a site has it by default: people from uid 1000.</summary>
    public sealed class SiteDefaultsFactory : ToolgridApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Toolgrid:Accounts:PersonUidMin", "1000");
        }
    }
}
