using System.Net;
using Toolgrid.Contracts.Api;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>
/// <c>POST /api/v1/tools/{tool}/jobs/apply</c>: a list of jobs applied all or nothing, the dry run
/// deciding exactly as the real one does.
/// </summary>
public sealed class JobApplyEndpointsTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    private static object Imported(bool dryRun) => new
    {
        jobs = new[]
        {
            new { name = "daily", command = "./daily.sh", schedule = "@daily" },
            new { name = "hourly", command = "./hourly.sh", schedule = "@hourly" },
            new { name = "weekly", command = "./weekly.sh", schedule = "@weekly" },
        },
        keepOthers = true,
        dryRun,
    };

    [ApiFact]
    public async Task A_list_kept_beside_the_others_that_would_exceed_the_quota_changes_nothing_dry_run_or_not()
    {
        using var nobody = factory.As(People.Nobody);
        using var root = factory.As(People.Root);
        await nobody.CreateToolAsync("importer");
        await root.PatchLimitsAsync("importer", new { maxJobs = "3" });
        await nobody.RunJobAsync("importer", "old");
        var before = await StoreSnapshot.TakeAsync(factory);

        foreach (var dryRun in new[] { true, false })
        {
            using var response = await nobody.PostJsonAsync("/api/v1/tools/importer/jobs/apply", Imported(dryRun));

            var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "quota-exceeded");
            Assert.Contains("would have 4 jobs and may have 3", problem.Detail, StringComparison.Ordinal);
            Assert.Contains("nothing was changed", problem.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
        Assert.Equal(["old"], (await nobody.ListJobsAsync("importer")).Select(j => j.Name));
    }

    [ApiFact]
    public async Task A_list_kept_beside_the_others_adds_what_its_dry_run_said_and_deletes_nothing()
    {
        using var nobody = factory.As(People.Nobody);
        using var root = factory.As(People.Root);
        await nobody.CreateToolAsync("importer2");
        await root.PatchLimitsAsync("importer2", new { maxJobs = "4" });
        await nobody.RunJobAsync("importer2", "old");

        using var dry = await nobody.PostJsonAsync("/api/v1/tools/importer2/jobs/apply", Imported(dryRun: true));
        var planned = await dry.ReadAsync<JobsApplyResult>();
        using var real = await nobody.PostJsonAsync("/api/v1/tools/importer2/jobs/apply", Imported(dryRun: false));
        var applied = await real.ReadAsync<JobsApplyResult>();

        Assert.False(planned.Applied);
        Assert.True(applied.Applied);
        Assert.Equal(
            [("daily", "add"), ("hourly", "add"), ("weekly", "add")],
            planned.Plan.Select(s => (s.Job, s.Action)));
        Assert.Equal(planned.Plan.Select(s => (s.Job, s.Action)), applied.Plan.Select(s => (s.Job, s.Action)));
        Assert.Equal(["daily", "hourly", "old", "weekly"], (await nobody.ListJobsAsync("importer2")).Select(j => j.Name));
    }
}
