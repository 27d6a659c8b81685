using System.Net;
using Microsoft.AspNetCore.Hosting;
using Toolgrid.Contracts.Api;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>How many tools one person may create (here the site allows 2), and an admin's raise of it (<c>/api/v1/users/{user}/limits</c>).</summary>
public sealed class ToolCapTests(ToolCapTests.CapOfTwoFactory factory) : IClassFixture<ToolCapTests.CapOfTwoFactory>
{
    [ApiFact]
    public async Task A_person_at_the_cap_is_refused_until_an_admin_raises_it_and_deleting_a_tool_frees_a_place()
    {
        using var daemon = factory.As(People.Daemon);
        using var root = factory.As(People.Root);
        await daemon.CreateToolAsync("capped-one");
        await daemon.CreateToolAsync("capped-two");
        var before = await StoreSnapshot.TakeAsync(factory);

        using (var refused = await daemon.PostJsonAsync("/api/v1/tools", new { name = "capped-three" }))
        {
            var problem = await refused.ProblemAsync(HttpStatusCode.Forbidden, "tool-quota-exceeded");
            Assert.Equal(
                "daemon has created 2 active tools and may create 2 (the site's limit per person). Delete a tool you no longer need ('toolgrid tools delete NAME'), or ask an admin to raise your limit ('toolgrid users limits daemon --max-tools N').",
                problem.Detail);
        }

        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
        using (var raised = await root.PatchJsonAsync("/api/v1/users/daemon/limits", new { maxTools = "3" }))
        {
            Assert.Equal(new UserLimitsView(People.Daemon, 3, true, 2), await raised.ReadAsync<UserLimitsView>());
        }

        await daemon.CreateToolAsync("capped-three");
        using (var again = await daemon.PostJsonAsync("/api/v1/tools", new { name = "capped-four" }))
        {
            Assert.Contains("the limit an admin set for you", (await again.ProblemAsync(HttpStatusCode.Forbidden, "tool-quota-exceeded")).Detail, StringComparison.Ordinal);
        }

        using (var deleted = await daemon.DeleteAsync("/api/v1/tools/capped-one"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        await daemon.CreateToolAsync("capped-four");
        Assert.Equal(new UserLimitsView(People.Daemon, 3, true, 3), await daemon.GetJsonAsync<UserLimitsView>("/api/v1/users/daemon/limits"));
    }

    [ApiFact]
    public async Task An_admin_is_not_capped()
    {
        using var root = factory.As(People.Root);

        foreach (var name in new[] { "admin-one", "admin-two", "admin-three" })
        {
            await root.CreateToolAsync(name);
        }

        Assert.Equal(3, (await root.GetJsonAsync<UserLimitsView>("/api/v1/users/root/limits")).ActiveTools);
    }

    [ApiFact]
    public async Task Default_resets_a_persons_cap_to_the_sites()
    {
        using var root = factory.As(People.Root);
        using (var raised = await root.PatchJsonAsync("/api/v1/users/bin/limits", new { maxTools = "10" }))
        {
            Assert.True((await raised.ReadAsync<UserLimitsView>()).Raised);
        }

        using var reset = await root.PatchJsonAsync("/api/v1/users/bin/limits", new { maxTools = "default" });

        Assert.Equal(new UserLimitsView("bin", 2, false, 0), await reset.ReadAsync<UserLimitsView>());
    }

    [ApiFact]
    public async Task Only_admins_change_a_cap_and_a_person_sees_only_their_own()
    {
        using var nobody = factory.As(People.Nobody);

        using (var patch = await nobody.PatchJsonAsync("/api/v1/users/nobody/limits", new { maxTools = "100" }))
        {
            await patch.ProblemAsync(HttpStatusCode.Forbidden, "admin-required");
        }

        using (var others = await nobody.GetAsync("/api/v1/users/daemon/limits"))
        {
            await others.ProblemAsync(HttpStatusCode.Forbidden, "admin-required");
        }

        Assert.Equal(new UserLimitsView(People.Nobody, 2, false, 0), await nobody.GetJsonAsync<UserLimitsView>("/api/v1/users/nobody/limits"));
    }

    [ApiTheory]
    [InlineData("many", "maxTools")]
    [InlineData("-1", "maxTools")]
    [InlineData("", "maxTools")]
    public async Task A_bad_cap_answers_400_about_it(string value, string field)
    {
        using var root = factory.As(People.Root);

        using var response = await root.PatchJsonAsync("/api/v1/users/daemon/limits", new { maxTools = value });

        Assert.Contains(field, (await response.ValidationProblemAsync()).Fields);
    }

    [ApiFact]
    public async Task A_cap_for_no_such_user_answers_404()
    {
        using var root = factory.As(People.Root);

        using var response = await root.PatchJsonAsync("/api/v1/users/no-such-person/limits", new { maxTools = "5" });

        await response.ProblemAsync(HttpStatusCode.NotFound, "user-not-found");
    }

    /// <summary>A site that lets each person create 2 tools.</summary>
    public sealed class CapOfTwoFactory : ToolgridApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Toolgrid:Tools:MaxToolsPerPerson", "2");
        }
    }
}
