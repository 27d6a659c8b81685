using System.Net;
using Toolgrid.Contracts.Api;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary><c>/api/v1/tools/{tool}/maintainers</c>: who may manage a tool.</summary>
public sealed class MaintainerEndpointsTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    [ApiFact]
    public async Task Add_a_person_makes_them_a_maintainer_who_can_then_manage_the_tool()
    {
        using var nobody = factory.As(People.Nobody);
        using var daemon = factory.As(People.Daemon);
        await nobody.CreateToolAsync("shared");

        using var response = await nobody.PutAsync("/api/v1/tools/shared/maintainers/daemon");

        var maintainers = await response.ReadAsync<List<MaintainerView>>();
        Assert.Equal([People.Daemon, People.Nobody], maintainers.Select(m => m.User));
        Assert.Equal(People.Nobody, Assert.Single(maintainers, m => m.User == People.Daemon).AddedBy);
        Assert.Empty(await daemon.ListJobsAsync("shared"));
        await daemon.RunJobAsync("shared", "by-daemon");
    }

    [ApiFact]
    public async Task Add_a_maintainer_again_changes_nothing()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("twice-added");
        using (var first = await nobody.PutAsync("/api/v1/tools/twice-added/maintainers/daemon"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var again = await nobody.PutAsync("/api/v1/tools/twice-added/maintainers/daemon");

        var maintainers = await again.ReadAsync<List<MaintainerView>>();
        Assert.Equal([People.Daemon, People.Nobody], maintainers.Select(m => m.User));
    }

    [ApiFact]
    public async Task Add_an_unknown_person_answers_404_user_not_found_and_changes_nothing()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("lonely");

        using var response = await nobody.PutAsync("/api/v1/tools/lonely/maintainers/no-such-person");

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound, "user-not-found");
        Assert.Contains("'no-such-person'", problem.Detail, StringComparison.Ordinal);
        Assert.Equal([People.Nobody], (await nobody.ListMaintainersAsync("lonely")).Select(m => m.User));
    }

    [ApiFact]
    public async Task Add_a_name_that_cannot_be_a_user_answers_400_about_the_user()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("picky");

        using var response = await nobody.PutAsync("/api/v1/tools/picky/maintainers/Not%20A%20User");

        var problem = await response.ValidationProblemAsync();
        Assert.Contains("not a valid user name", problem.MessageFor("user"), StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task Add_by_a_non_maintainer_answers_403_and_changes_nothing()
    {
        using var nobody = factory.As(People.Nobody);
        using var daemon = factory.As(People.Daemon);
        await nobody.CreateToolAsync("closed");

        using var response = await daemon.PutAsync("/api/v1/tools/closed/maintainers/daemon");

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "not-a-maintainer");
        Assert.Contains("(nobody)", problem.Detail, StringComparison.Ordinal);
        Assert.Equal([People.Nobody], (await nobody.ListMaintainersAsync("closed")).Select(m => m.User));
    }

    [ApiFact]
    public async Task Remove_a_maintainer_takes_away_their_access()
    {
        using var nobody = factory.As(People.Nobody);
        using var daemon = factory.As(People.Daemon);
        await nobody.CreateToolAsync("parting");
        using (var added = await nobody.PutAsync("/api/v1/tools/parting/maintainers/daemon"))
        {
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        }

        using var response = await nobody.DeleteAsync("/api/v1/tools/parting/maintainers/daemon");

        var maintainers = await response.ReadAsync<List<MaintainerView>>();
        Assert.Equal([People.Nobody], maintainers.Select(m => m.User));
        using var refused = await daemon.GetAsync("/api/v1/tools/parting/jobs");
        await refused.ProblemAsync(HttpStatusCode.Forbidden, "not-a-maintainer");
    }

    [ApiFact]
    public async Task A_maintainer_may_remove_themselves_while_another_remains()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("handover");
        using (var added = await nobody.PutAsync("/api/v1/tools/handover/maintainers/daemon"))
        {
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        }

        using var response = await nobody.DeleteAsync("/api/v1/tools/handover/maintainers/nobody");

        Assert.Equal([People.Daemon], (await response.ReadAsync<List<MaintainerView>>()).Select(m => m.User));
    }

    [ApiFact]
    public async Task Remove_the_last_maintainer_answers_409_last_maintainer_and_keeps_them()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("sole");

        using var response = await nobody.DeleteAsync("/api/v1/tools/sole/maintainers/nobody");

        var problem = await response.ProblemAsync(HttpStatusCode.Conflict, "last-maintainer");
        Assert.Contains("add another maintainer first", problem.Detail, StringComparison.Ordinal);
        Assert.Equal([People.Nobody], (await nobody.ListMaintainersAsync("sole")).Select(m => m.User));
    }

    [ApiFact]
    public async Task Remove_someone_who_is_not_a_maintainer_answers_404_maintainer_not_found()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("exclusive");

        using var response = await nobody.DeleteAsync("/api/v1/tools/exclusive/maintainers/daemon");

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound, "maintainer-not-found");
        Assert.Contains("'daemon' is not a maintainer of 'exclusive'", problem.Detail, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task Remove_by_a_non_maintainer_answers_403_and_keeps_the_maintainers()
    {
        using var nobody = factory.As(People.Nobody);
        using var daemon = factory.As(People.Daemon);
        await nobody.CreateToolAsync("ousting");

        using var response = await daemon.DeleteAsync("/api/v1/tools/ousting/maintainers/nobody");

        await response.ProblemAsync(HttpStatusCode.Forbidden, "not-a-maintainer");
        Assert.Equal([People.Nobody], (await nobody.ListMaintainersAsync("ousting")).Select(m => m.User));
    }

    [ApiFact]
    public async Task Maintainers_of_an_unknown_tool_answers_404_tool_not_found()
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.PutAsync("/api/v1/tools/no-such-tool/maintainers/daemon");

        await response.ProblemAsync(HttpStatusCode.NotFound, "tool-not-found");
    }

    [ApiFact]
    public async Task An_admin_may_add_maintainers_to_a_tool_they_do_not_maintain()
    {
        using var nobody = factory.As(People.Nobody);
        using var root = factory.As(People.Root);
        await nobody.CreateToolAsync("rescued");

        using var response = await root.PutAsync("/api/v1/tools/rescued/maintainers/daemon");

        Assert.Equal([People.Daemon, People.Nobody], (await response.ReadAsync<List<MaintainerView>>()).Select(m => m.User));
    }
}
