using Toolgrid.Contracts.Api;
using Toolgrid.Server.Api;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary><c>GET /api/v1/whoami</c> and <c>GET /api/v1/status</c>.</summary>
public sealed class StatusEndpointsTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    [ApiFact]
    public async Task WhoAmI_as_root_says_admin_over_a_token_in_single_user_mode()
    {
        using var root = factory.As(People.Root);

        var me = await root.GetJsonAsync<WhoAmIView>("/api/v1/whoami");

        Assert.Equal(People.Root, me.User);
        Assert.True(me.Admin);
        Assert.Null(me.Tool);
        Assert.Equal("token", me.Via);
        Assert.Equal("single-user", me.Mode);
    }

    [ApiFact]
    public async Task WhoAmI_as_a_person_who_is_not_the_servers_user_says_not_admin()
    {
        using var nobody = factory.As(People.Nobody);

        var me = await nobody.GetJsonAsync<WhoAmIView>("/api/v1/whoami");

        Assert.Equal(People.Nobody, me.User);
        Assert.False(me.Admin);
    }

    [ApiFact]
    public async Task WhoAmI_lists_the_active_tools_the_caller_maintains()
    {
        using var daemon = factory.As(People.Daemon);
        await daemon.CreateToolAsync("whoami-kept");
        await daemon.CreateToolAsync("whoami-gone");
        using var deleted = await daemon.DeleteAsync("/api/v1/tools/whoami-gone");
        Assert.Equal(System.Net.HttpStatusCode.OK, deleted.StatusCode);

        var me = await daemon.GetJsonAsync<WhoAmIView>("/api/v1/whoami");

        Assert.Contains("whoami-kept", me.Maintains);
        Assert.DoesNotContain("whoami-gone", me.Maintains);
    }

    [ApiFact]
    public async Task Status_says_single_user_mode_and_warns_that_tools_are_not_isolated()
    {
        using var nobody = factory.As(People.Nobody);

        var status = await nobody.GetJsonAsync<StatusView>("/api/v1/status");

        Assert.Equal("single-user", status.Mode);
        Assert.Contains("NOT isolated", status.ModeDetail, StringComparison.Ordinal);
        var warning = Assert.Single(status.Warnings, w => w.StartsWith("single-user mode", StringComparison.Ordinal));
        Assert.Contains("not isolated", warning, StringComparison.OrdinalIgnoreCase);
    }

    [ApiFact]
    public async Task Status_shows_the_roles_backend_and_places_this_server_was_given()
    {
        using var nobody = factory.As(People.Nobody);

        var status = await nobody.GetJsonAsync<StatusView>("/api/v1/status");

        Assert.Equal(["api"], status.Roles);
        Assert.Equal("none", status.Backend);
        Assert.Equal(factory.DataRoot, status.DataRoot);
        Assert.Equal("sqlite:" + Path.Combine(factory.StateDirectory, "toolgrid.db"), status.Store);
        Assert.Empty(status.Nodes);
        Assert.Equal(StatusEndpoints.Version, status.Version);
        Assert.False(string.IsNullOrWhiteSpace(status.Version));
    }

    [ApiFact]
    public async Task Status_counts_tools_jobs_and_queued_runs()
    {
        using var nobody = factory.As(People.Nobody);
        var before = await nobody.GetJsonAsync<StatusView>("/api/v1/status");

        await nobody.CreateToolAsync("status-counted");
        await nobody.RunJobAsync("status-counted", "first");
        await nobody.RunJobAsync("status-counted", "second");
        var after = await nobody.GetJsonAsync<StatusView>("/api/v1/status");

        Assert.Equal(before.Tools + 1, after.Tools);
        Assert.Equal(before.Jobs + 2, after.Jobs);
        Assert.Equal(before.Runs.GetValueOrDefault("queued") + 2, after.Runs["queued"]);
    }
}
