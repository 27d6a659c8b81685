using System.Net;
using Toolgrid.Contracts.Api;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary><c>PATCH /api/v1/tools/{tool}/limits</c>: an admin raises or resets a tool's ceilings.</summary>
public sealed class ToolLimitsTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    private static readonly LimitsView SiteDefaults = new("512Mi", "0.5", "4Gi", "1", 16);

    [ApiFact]
    public async Task Patch_by_a_maintainer_who_is_not_an_admin_answers_403_admin_required()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("modest");

        using var response = await nobody.PatchJsonAsync("/api/v1/tools/modest/limits", new { maxMemory = "64Gi" });

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "admin-required");
        Assert.Contains("nobody is not one", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(SiteDefaults, (await nobody.GetToolAsync("modest")).Limits);
    }

    [ApiFact]
    public async Task Patch_by_an_admin_raises_max_memory_so_that_a_bigger_job_is_accepted()
    {
        using var nobody = factory.As(People.Nobody);
        using var root = factory.As(People.Root);
        await nobody.CreateToolAsync("hungry");
        using (var refused = await nobody.PostJsonAsync("/api/v1/tools/hungry/jobs", new { name = "big", command = "./crunch", mem = "6Gi" }))
        {
            var problem = await refused.ValidationProblemAsync();
            Assert.Contains("ceiling of 4Gi", problem.MessageFor("mem"), StringComparison.Ordinal);
            Assert.Contains("ask an admin", problem.MessageFor("mem"), StringComparison.Ordinal);
        }

        var limits = await root.PatchLimitsAsync("hungry", new { maxMemory = "8Gi" });
        var job = await nobody.RunJobAsync("hungry", new { name = "big", command = "./crunch", mem = "6Gi" });

        Assert.Equal(SiteDefaults with { MaxMemory = "8Gi" }, limits);
        Assert.Equal(limits, (await nobody.GetToolAsync("hungry")).Limits);
        Assert.Equal("6Gi", job.Mem);
        Assert.Equal("6Gi", Assert.Single(job.Runs).Mem);
    }

    [ApiFact]
    public async Task Patch_raises_cpu_and_job_count_and_default_resets_each_to_the_sites()
    {
        using var nobody = factory.As(People.Nobody);
        using var root = factory.As(People.Root);
        await nobody.CreateToolAsync("busy");

        var raised = await root.PatchLimitsAsync("busy", new { maxMemory = "8Gi", maxCpu = "2", maxJobs = "50" });
        var cpuOnly = await root.PatchLimitsAsync("busy", new { maxCpu = "default" });
        var reset = await root.PatchLimitsAsync("busy", new { maxMemory = "default", maxJobs = "DEFAULT" });

        Assert.Equal(new LimitsView("512Mi", "0.5", "8Gi", "2", 50), raised);
        Assert.Equal(new LimitsView("512Mi", "0.5", "8Gi", "1", 50), cpuOnly);
        Assert.Equal(SiteDefaults, reset);
        Assert.Equal(SiteDefaults, (await nobody.GetToolAsync("busy")).Limits);
    }

    [ApiFact]
    public async Task Patch_with_bad_values_reports_all_of_them_at_once_and_changes_nothing()
    {
        using var nobody = factory.As(People.Nobody);
        using var root = factory.As(People.Root);
        await nobody.CreateToolAsync("stubborn");

        using var response = await root.PatchJsonAsync("/api/v1/tools/stubborn/limits", new { maxMemory = "lots", maxCpu = "fast", maxJobs = "0", maxDisk = "1Ti" });

        var problem = await response.ValidationProblemAsync();
        Assert.Equal(["maxCpu", "maxDisk", "maxJobs", "maxMemory"], problem.Fields.Order(StringComparer.Ordinal));
        Assert.Contains("'0'", problem.MessageFor("maxJobs"), StringComparison.Ordinal);
        Assert.StartsWith("4 problems: ", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(SiteDefaults, (await nobody.GetToolAsync("stubborn")).Limits);
    }

    [ApiFact]
    public async Task Patch_with_one_good_and_one_bad_value_applies_neither()
    {
        using var nobody = factory.As(People.Nobody);
        using var root = factory.As(People.Root);
        await nobody.CreateToolAsync("all-or-nothing");

        using var response = await root.PatchJsonAsync("/api/v1/tools/all-or-nothing/limits", new { maxMemory = "8Gi", maxJobs = "100000" });

        var problem = await response.ValidationProblemAsync();
        Assert.Equal(["maxJobs"], problem.Fields);
        Assert.Equal(SiteDefaults, (await nobody.GetToolAsync("all-or-nothing")).Limits);
    }

    [ApiFact]
    public async Task Patch_below_the_least_a_job_may_have_is_refused()
    {
        using var nobody = factory.As(People.Nobody);
        using var root = factory.As(People.Root);
        await nobody.CreateToolAsync("tiny");

        using var response = await root.PatchJsonAsync("/api/v1/tools/tiny/limits", new { maxMemory = "1Mi", maxCpu = "1m" });

        var problem = await response.ValidationProblemAsync();
        Assert.Contains("less than the least a job may have", problem.MessageFor("maxMemory"), StringComparison.Ordinal);
        Assert.Contains("less than the least a job may have", problem.MessageFor("maxCpu"), StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task Patch_of_an_unknown_tool_answers_404()
    {
        using var root = factory.As(People.Root);

        using var response = await root.PatchJsonAsync("/api/v1/tools/no-such-tool/limits", new { maxJobs = "20" });

        await response.ProblemAsync(HttpStatusCode.NotFound, "tool-not-found");
    }
}
